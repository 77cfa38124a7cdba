"use client";

import { useState, type FormEvent } from "react";
import { RequestFailure } from "@/components/api/fetch-json";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { TextAreaField } from "@/components/ui/field";
import { REVIEW_BODY_MAX } from "@/lib/packages/package-review-schemas";
import type { ReviewJson } from "@/lib/packages/package-reviews";
import { useReviewMutation } from "./reviews-hooks";
import { StarInput } from "./reviews-stars";

/** Writes the workspace's review, or edits it (`existing`). */
export function ReviewForm({ slug, existing, onDone }: { slug: string; existing?: ReviewJson; onDone?: () => void }) {
  const [rating, setRating] = useState(existing?.rating ?? 0);
  const [body, setBody] = useState(existing?.body ?? "");
  const save = useReviewMutation(slug, (v: { rating: number; body: string }) => (existing ? { path: `/${existing.id}`, method: "PATCH", body: v } : { path: "", method: "POST", body: v }));
  const fields = save.error instanceof RequestFailure ? save.error.fieldErrors : {};
  const submit = (e: FormEvent) => {
    e.preventDefault();
    save.mutate({ rating, body }, { onSuccess: () => onDone?.() });
  };
  return (
    <form onSubmit={submit} className="space-y-3" aria-label={existing ? "Edit your workspace's review" : "Write a review"}>
      <StarInput name={existing ? `rating-${existing.id}` : "rating"} value={rating} onChange={setRating} error={fields.rating} />
      <TextAreaField
        label="Review"
        name="body"
        rows={4}
        maxLength={REVIEW_BODY_MAX}
        value={body}
        onChange={(e) => setBody(e.target.value)}
        hint={`Optional. Markdown, up to ${REVIEW_BODY_MAX.toLocaleString("en")} characters. Shown under your workspace's name.`}
        error={fields.body}
      />
      {save.error && <Alert tone="error">{save.error.message}</Alert>}
      <div className="flex flex-wrap gap-2">
        <Button type="submit" pending={save.isPending} disabled={rating === 0}>
          {existing ? "Save changes" : "Post review"}
        </Button>
        {onDone && existing && (
          <Button type="button" variant="ghost" onClick={onDone}>
            Cancel
          </Button>
        )}
      </div>
    </form>
  );
}
