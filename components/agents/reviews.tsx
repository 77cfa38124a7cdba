"use client";

import Link from "next/link";
import { useState } from "react";
import { Card } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { SelectField } from "@/components/ui/field";
import { LoadMore } from "@/components/ui/load-more";
import { QueryStates } from "@/components/ui/query-states";
import type { ReviewViewer } from "@/lib/packages/package-reviews";
import { ReviewForm } from "./reviews-form";
import { useReviews } from "./reviews-hooks";
import { ReviewItem } from "./reviews-item";
import { ReviewsSummary } from "./reviews-summary";

/**
 * The agent page's reviews: the displayed rating (one voice per paying workspace),
 * the reviews newest first ("Load more"), and what the visitor may do — write or
 * edit their workspace's review, reply as the provider, report — or why not.
 */
export function AgentReviews({ slug, agentName, signedIn }: { slug: string; agentName: string; signedIn: boolean }) {
  const [version, setVersion] = useState("");
  const { query, items, summary, viewer } = useReviews(slug, version);
  return (
    <Card title="Reviews" description="From workspaces with a paid run in the last 90 days; one per workspace.">
      <QueryStates query={query} noun="reviews">
        {() => (
          <div className="space-y-5">
            {summary && <ReviewsSummary summary={summary} />}
            <WriteReview slug={slug} agentName={agentName} signedIn={signedIn} viewer={viewer} />
            {summary && summary.versions.length > 1 && (
              <SelectField label="Show reviews of" name="version" value={version} onChange={(e) => setVersion(e.target.value)} className="max-w-xs">
                <option value="">Every version</option>
                {summary.versions.map((v) => (
                  <option key={v.version} value={v.version}>
                    v{v.version}
                  </option>
                ))}
              </SelectField>
            )}
            {items.length === 0 ? (
              <EmptyState title={version ? `No reviews of v${version}` : "No reviews yet"}>Reviews appear here once a paying workspace writes one.</EmptyState>
            ) : (
              <ul className="divide-y divide-slate-100">
                {items.map((r) => (
                  <li key={r.id} className="py-4 first:pt-0">
                    <ReviewItem slug={slug} review={r} viewer={viewer} />
                  </li>
                ))}
              </ul>
            )}
            <LoadMore query={query} />
          </div>
        )}
      </QueryStates>
    </Card>
  );
}

/** The form for a workspace that may review and has not; otherwise why it cannot (or a sign-in link). */
function WriteReview({ slug, agentName, signedIn, viewer }: { slug: string; agentName: string; signedIn: boolean; viewer: ReviewViewer | null }) {
  if (!signedIn || !viewer) {
    return (
      <p className="text-sm text-slate-600">
        <Link href={`/signin?callbackUrl=${encodeURIComponent(`/agents/${slug}`)}`} className="text-brand-700 underline">
          Sign in to review
        </Link>{" "}
        {agentName} after a paid run.
      </p>
    );
  }
  if (viewer.ownReview) return <p className="text-sm text-slate-600">Your workspace has reviewed {agentName}{viewer.canEdit ? "; edit the review below." : "."}</p>;
  if (viewer.cannotReview) return <p className="rounded-md bg-slate-50 px-3 py-2 text-sm text-slate-700" data-testid="cannot-review">{viewer.cannotReview}</p>;
  return (
    <div className="rounded-md bg-slate-50 p-4">
      <ReviewForm slug={slug} />
    </div>
  );
}
