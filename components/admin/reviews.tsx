"use client";

import Link from "next/link";
import { useState, type FormEvent } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { TextAreaField } from "@/components/ui/field";
import { formatUsd, timeAgo } from "@/components/ui/format";
import { LoadMore } from "@/components/ui/load-more";
import { QueryStates } from "@/components/ui/query-states";
import { useCursorList } from "@/components/ui/use-url-filters";
import type { listReviewQueue } from "@/lib/packages/reviews";
import { adminSend, useAdminMutation } from "./admin-fetch";

type Page = Awaited<ReturnType<typeof listReviewQueue>>;
type Submission = Page["data"][number];
const QUEUE = "/api/v1/admin/reviews";

/** Submitted package versions, oldest first: approve, or reject with a reason the provider sees. */
export function AdminReviews() {
  const { query, items } = useCursorList<Page>(QUEUE, {});
  return (
    <QueryStates query={query} noun="submissions" isEmpty={items.length === 0} empty={<EmptyState title="Nothing to review">Submitted package versions appear here, oldest first.</EmptyState>}>
      {() => (
        <div className="space-y-4">
          <ul className="space-y-4">
            {items.map((s) => (
              <li key={s.id} data-testid="review-item">
                <Submission submission={s} />
              </li>
            ))}
          </ul>
          <LoadMore query={query} />
        </div>
      )}
    </QueryStates>
  );
}

function Submission({ submission: s }: { submission: Submission }) {
  const [reason, setReason] = useState("");
  const review = useAdminMutation((body: { action: "approve" | "reject"; reason?: string }) => adminSend(`${QUEUE}/${s.id}/${body.action}`, "POST", { reason: body.reason, expectedUpdatedAt: s.updatedAt }), [QUEUE]);
  const reject = (e: FormEvent) => {
    e.preventDefault();
    review.mutate({ action: "reject", reason });
  };
  return (
    <Card
      title={
        <span>
          {s.name} <span className="font-mono text-sm font-normal text-slate-500">{s.slug} {s.version}</span>
        </span>
      }
      description={
        <>
          {s.kind.toLowerCase()} package by{" "}
          {s.provider ? (
            <Link href={`/providers/${s.provider.slug}`} className="underline">
              {s.provider.name}
            </Link>
          ) : (
            "an unknown provider"
          )}
          {s.provider?.verified ? " (verified)" : ""} · {formatUsd(s.baseFeeMicros)} per run · submitted {timeAgo(s.submittedAt)}
        </>
      }
    >
      <div className="space-y-4">
        <p className="text-sm text-slate-700">{s.summary}</p>
        <details className="text-sm">
          <summary className="cursor-pointer text-brand-700 underline">View manifest</summary>
          <pre className="mt-2 max-h-96 overflow-auto rounded-md bg-slate-50 p-3 font-mono text-xs">{JSON.stringify(s.manifest, null, 2)}</pre>
        </details>
        <div className="flex flex-col gap-4 lg:flex-row lg:items-end">
          <Button pending={review.isPending && review.variables?.action === "approve"} onClick={() => review.mutate({ action: "approve" })} aria-label={`Approve ${s.slug} ${s.version}`}>
            Approve
          </Button>
          <form onSubmit={reject} className="flex flex-1 flex-col gap-3 sm:flex-row sm:items-end" aria-label={`Reject ${s.slug} ${s.version}`}>
            <TextAreaField label="Reason to reject" name="reason" rows={2} value={reason} onChange={(e) => setReason(e.target.value)} hint="At least 10 characters; the provider sees it." className="min-w-0 flex-1" />
            <Button type="submit" variant="danger" pending={review.isPending && review.variables?.action === "reject"} disabled={reason.trim().length < 10}>
              Reject
            </Button>
          </form>
        </div>
        {review.error && <Alert tone="error">{review.error.message}</Alert>}
      </div>
    </Card>
  );
}
