"use client";

import Link from "next/link";
import { EmptyState } from "@/components/ui/empty-state";
import { LoadMore } from "@/components/ui/load-more";
import { formatUsdExact, humanize } from "@/components/ui/format";
import { QueryStates } from "@/components/ui/query-states";
import { useCursorList } from "@/components/ui/use-url-filters";

type Entry = { id: string; at: string; reason: string; amountMicros: number; runId: string | null; agentName: string | null; reference: string | null };

/** The wallet's movements, newest first, with "Load more" (this workspace's, or for admins any workspace's). */
export function WalletHistory({ path = "/api/v1/billing/ledger", runHref = (id: string) => `/runs/${id}` }: { path?: string; runHref?: (runId: string) => string }) {
  const { query, items } = useCursorList<{ data: Entry[]; nextCursor: string | null }>(path, {});
  return (
    <QueryStates query={{ ...query, data: query.data ? items : undefined }} noun="history" isEmpty={items.length === 0} empty={<EmptyState title="No movements yet" />}>
      {(entries) => (
        <div className="space-y-3">
          <ul className="divide-y divide-slate-100 text-sm" data-testid="wallet-history">
            {entries.map((e) => (
              <li key={e.id} className="flex flex-wrap items-center justify-between gap-2 py-2">
                <span>
                  <span className="font-medium">{humanize(e.reason)}</span>
                  {e.runId && (
                    <>
                      {" · "}
                      <Link href={runHref(e.runId)} title={`Run ${e.runId}`} className="text-brand-700 underline">
                        {e.agentName ?? "Run"}
                      </Link>
                    </>
                  )}
                  <span className="ml-2 text-xs text-slate-500">{new Date(e.at).toLocaleString()}</span>
                </span>
                <span className={`tabular-nums ${e.amountMicros < 0 ? "text-slate-700" : "text-green-700"}`}>
                  {e.amountMicros < 0 ? "−" : "+"}
                  {formatUsdExact(Math.abs(e.amountMicros))}
                </span>
              </li>
            ))}
          </ul>
          <LoadMore query={query} />
        </div>
      )}
    </QueryStates>
  );
}
