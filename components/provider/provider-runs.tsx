"use client";

import { Card } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { formatDuration, formatUsd, humanize, timeAgo } from "@/components/ui/format";
import { LoadMore } from "@/components/ui/load-more";
import { QueryStates } from "@/components/ui/query-states";
import { TableHead } from "@/components/ui/table-head";
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
            <div className="sm:overflow-x-auto">
              <table className="table-stack w-full text-left text-sm sm:min-w-[44rem]" data-testid="provider-runs">
                <TableHead className="border-b border-slate-200" columns={["Run", "Package", "Status", "Duration", "Price", "Failure cause", "When"]} />
                <tbody className="divide-y divide-slate-100">
                  {items.map((r) => (
                    <tr key={r.id} id={`run-${r.id}`} className="target:bg-amber-50">
                      <td data-label="Run" className="px-4 py-2">
                        <code className="text-xs" title={r.id}>
                          {r.id.slice(0, 10)}…
                        </code>
                      </td>
                      <td data-label="Package" className="px-4 py-2">
                        <span className="font-mono text-xs">
                          {r.agent} {r.version}
                        </span>
                      </td>
                      <td data-label="Status" className="px-4 py-2">{humanize(r.status)}</td>
                      <td data-label="Duration" className="px-4 py-2 tabular-nums">{r.durationMs === null ? "—" : formatDuration(r.durationMs)}</td>
                      <td data-label="Price" className="px-4 py-2 tabular-nums">{formatUsd(r.priceMicros)}</td>
                      <td data-label="Failure cause" className="px-4 py-2">{r.failureCause ? humanize(r.failureCause) : "—"}</td>
                      <td data-label="When" className="px-4 py-2">
                        <time dateTime={r.createdAt}>{timeAgo(r.createdAt)}</time>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            <LoadMore query={query} />
          </div>
        )}
      </QueryStates>
    </Card>
  );
}
