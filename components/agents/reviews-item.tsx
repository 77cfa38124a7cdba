"use client";

import { useState, type FormEvent } from "react";
import { Alert } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { TextAreaField } from "@/components/ui/field";
import { timeAgo } from "@/components/ui/format";
import { Markdown } from "@/components/ui/markdown";
import { REPLY_MAX } from "@/lib/packages/package-review-schemas";
import type { ReviewJson, ReviewViewer } from "@/lib/packages/package-reviews";
import { ReviewForm } from "./reviews-form";
import { useReviewMutation } from "./reviews-hooks";
import { ReportReviewDialog } from "./reviews-report-dialog";
import { Stars } from "./reviews-stars";

/** One review: stars, the workspace, the version it ran, the text, the provider's reply; edit, reply or report as the viewer may. */
export function ReviewItem({ slug, review, viewer }: { slug: string; review: ReviewJson; viewer: ReviewViewer | null }) {
  const [editing, setEditing] = useState(false);
  const own = viewer?.ownReview?.id === review.id;
  if (editing) return <ReviewForm slug={slug} existing={review} onDone={() => setEditing(false)} />;
  return (
    <article className="space-y-2" aria-label={`Review by ${review.workspaceName}`} data-testid="review">
      <header className="flex flex-wrap items-center gap-x-3 gap-y-1 text-sm">
        <Stars value={review.rating} />
        <span className="font-medium text-slate-900">{review.workspaceName}</span>
        <Badge>v{review.version}</Badge>
        <span className="text-xs text-slate-500">
          {timeAgo(review.createdAt)}
          {review.updatedAt !== review.createdAt && " · edited"}
        </span>
        {own && <Badge tone="brand">Your workspace</Badge>}
      </header>
      {review.body && <Markdown>{review.body}</Markdown>}
      {review.reply && (
        <div className="ml-4 space-y-1 border-l-2 border-slate-200 pl-3">
          <p className="text-xs font-medium text-slate-700">Reply from the provider</p>
          <Markdown>{review.reply.body}</Markdown>
        </div>
      )}
      <div className="flex flex-wrap items-center gap-2">
        {own && viewer?.canEdit && (
          <Button type="button" variant="ghost" className="px-2 py-1 text-xs" onClick={() => setEditing(true)}>
            Edit
          </Button>
        )}
        {viewer && !own && <ReportReviewDialog slug={slug} reviewId={review.id} workspaceName={review.workspaceName} />}
      </div>
      {viewer?.canReply && !review.reply && <ReplyForm slug={slug} reviewId={review.id} />}
    </article>
  );
}

function ReplyForm({ slug, reviewId }: { slug: string; reviewId: string }) {
  const [reply, setReply] = useState("");
  const send = useReviewMutation(slug, (text: string) => ({ path: `/${reviewId}/reply`, method: "POST", body: { reply: text } }));
  const submit = (e: FormEvent) => {
    e.preventDefault();
    send.mutate(reply);
  };
  return (
    <details className="ml-4 text-sm">
      <summary className="cursor-pointer text-brand-700 underline">Reply as the provider</summary>
      <form onSubmit={submit} className="mt-2 space-y-2">
        <TextAreaField label="Your reply" name="reply" rows={3} maxLength={REPLY_MAX} value={reply} onChange={(e) => setReply(e.target.value)} hint={`Once per review. Markdown, up to ${REPLY_MAX.toLocaleString("en")} characters.`} />
        {send.error && <Alert tone="error">{send.error.message}</Alert>}
        <Button type="submit" pending={send.isPending} disabled={reply.trim().length === 0}>
          Post reply
        </Button>
      </form>
    </details>
  );
}
