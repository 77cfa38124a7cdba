"use client";

import { Card } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { formatDuration, formatUsd, humanize, timeAgo } from "@/components/ui/format";
import { LoadMore } from "@/components/ui/load-more";
import { QueryStates } from "@/components/ui/query-states";
import { StackedTable } from "@/components/ui/stacked-table";
import { useCursorList } from "@/components/ui/use-url-filters";
import type { ProviderRun } from "@/lib/packages/provider-runs";

/** "Runs of my packages": status, duration, price, failure cause; never the consumer's input or output. */
export function ProviderRuns() {
  const { query, items } = useCursorList<{ data: ProviderRun[]; nextCursor: string | null }>("/api/v1/provider/runs", {});
  return (
    <Card title="Runs of my packages" description="Every run of your packages, whoever started it. Consumers' inputs and outputs stay private.">
      <QueryStates query={query} noun="runs" isEmpty={items.length === 0} empty={<EmptyState title="No runs yet">Runs appear here once your packages are published and used.</EmptyState>}>
        {() => (
          <div className="space-y-4">
            <StackedTable
              columns={["Run", "Package", "Status", "Duration", "Price", "Failure cause", "When"]}
              testId="provider-runs"
              rows={items.map((r) => ({
                key: r.id,
                id: `run-${r.id}`,
                className: "target:bg-amber-50",
                cells: [
                  <code key="id" className="text-xs" title={r.id}>
                    {r.id.slice(0, 10)}…
                  </code>,
                  <span key="package" className="font-mono text-xs">
                    {r.agent} {r.version}
                  </span>,
                  humanize(r.status),
                  <span key="duration" className="tabular-nums">{r.durationMs === null ? "—" : formatDuration(r.durationMs)}</span>,
                  <span key="price" className="tabular-nums">{formatUsd(r.priceMicros)}</span>,
                  r.failureCause ? humanize(r.failureCause) : "—",
                  <time key="when" dateTime={r.createdAt}>
                    {timeAgo(r.createdAt)}
                  </time>,
                ],
              }))}
            />
            <LoadMore query={query} />
          </div>
        )}
      </QueryStates>
    </Card>
  );
}
