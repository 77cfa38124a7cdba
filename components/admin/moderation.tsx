"use client";

import Link from "next/link";
import { useState, type FormEvent } from "react";
import { Stars } from "@/components/agents/reviews-stars";
import { Alert } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { Field } from "@/components/ui/field";
import { timeAgo } from "@/components/ui/format";
import { LoadMore } from "@/components/ui/load-more";
import { Markdown } from "@/components/ui/markdown";
import { QueryStates } from "@/components/ui/query-states";
import { useCursorList } from "@/components/ui/use-url-filters";
import type { listReviewReports } from "@/lib/packages/package-review-moderation";
import { REPORT_REASON_MAX } from "@/lib/packages/package-review-schemas";
import { adminSend, useAdminMutation } from "./admin-fetch";

type Page = Awaited<ReturnType<typeof listReviewReports>>;
type Report = Page["data"][number];
const QUEUE = "/api/v1/admin/review-reports";

/** Open reports of package reviews, oldest first: keep the review, or hide it with a reason. */
export function AdminModeration() {
  const { query, items } = useCursorList<Page>(QUEUE, {});
  return (
    <QueryStates query={query} noun="reports" isEmpty={items.length === 0} empty={<EmptyState title="No open reports">Reviews that workspaces report appear here, oldest first.</EmptyState>}>
      {() => (
        <div className="space-y-4">
          <ul className="space-y-4">
            {items.map((r) => (
              <li key={r.id} data-testid="report-item">
                <ReportCard report={r} />
              </li>
            ))}
          </ul>
          <LoadMore query={query} />
        </div>
      )}
    </QueryStates>
  );
}

function ReportCard({ report: r }: { report: Report }) {
  const [reason, setReason] = useState("");
  const resolve = useAdminMutation((body: { action: "keep" | "hide"; reason: string }) => adminSend(`${QUEUE}/${r.id}/resolve`, "POST", body), [QUEUE]);
  const hide = (e: FormEvent) => {
    e.preventDefault();
    resolve.mutate({ action: "hide", reason });
  };
  return (
    <Card
      title={
        <span>
          Review of{" "}
          <Link href={`/agents/${r.review.slug}`} className="underline">
            {r.review.slug}
          </Link>{" "}
          by {r.review.workspaceName}
        </span>
      }
      description={
        <>
          Reported by {r.reporterWorkspaceName} {timeAgo(r.createdAt)}: “{r.reason}”
        </>
      }
    >
      <div className="space-y-4">
        <div className="flex flex-wrap items-center gap-2 text-sm">
          <Stars value={r.review.rating} />
          <Badge>v{r.review.version}</Badge>
          {r.review.hidden && <Badge tone="warning">already hidden</Badge>}
        </div>
        <div className="rounded-md bg-slate-50 p-3">{r.review.body ? <Markdown>{r.review.body}</Markdown> : <p className="text-sm text-slate-500">(stars only, no text)</p>}</div>
        <div className="flex flex-col gap-4 lg:flex-row lg:items-end">
          <Button variant="secondary" pending={resolve.isPending && resolve.variables?.action === "keep"} onClick={() => resolve.mutate({ action: "keep", reason: "" })} aria-label={`Keep the review by ${r.review.workspaceName}`}>
            Keep
          </Button>
          <form onSubmit={hide} className="flex flex-1 flex-col gap-3 sm:flex-row sm:items-end" aria-label={`Hide the review by ${r.review.workspaceName}`}>
            <Field label="Reason to hide" name="reason" maxLength={REPORT_REASON_MAX} value={reason} onChange={(e) => setReason(e.target.value)} hint="Recorded in the audit log." className="min-w-0 flex-1" />
            <Button type="submit" variant="danger" pending={resolve.isPending && resolve.variables?.action === "hide"} disabled={reason.trim().length === 0}>
              Hide review
            </Button>
          </form>
        </div>
        {resolve.error && <Alert tone="error">{resolve.error.message}</Alert>}
      </div>
    </Card>
  );
}
