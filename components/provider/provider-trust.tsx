"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { apiFetch } from "@/components/api/fetch-json";
import { TrustBadge, trustLabel } from "@/components/agents/trust-badge";
import { Card } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { formatUsd, timeAgo } from "@/components/ui/format";
import { QueryStates } from "@/components/ui/query-states";
import { TableHead } from "@/components/ui/table-head";
import type { ProviderTrust as Trust } from "@/lib/packages/trust";

// The provider's trust breakdown on /provider (issue 20): its score and band,
// and per package what went into it (GET /api/v1/provider/trust).

const usd = (micros: number) => formatUsd(Math.round(micros));

export function ProviderTrust() {
  const q = useQuery({ queryKey: ["provider-trust"], queryFn: () => apiFetch<Trust>("/api/v1/provider/trust") });
  return (
    <Card
      title="Trust score"
      description="Settled outcomes of the last 90 days, weighted by what was charged and by recency (30-day half-life), one voice per buying workspace. Only failures caused by your package count against it; your own workspace's runs do not count."
    >
      <QueryStates query={q} noun="trust score">
        {(t) => (
          <div className="space-y-4" data-testid="provider-trust">
            <div className="flex flex-wrap items-baseline gap-x-4 gap-y-1">
              <TrustBadge trust={t.trust} className="text-sm" />
              <p className="text-xs text-slate-500">{t.trust.computedAt ? `Computed ${timeAgo(t.trust.computedAt)} (every 10 minutes).` : "Not computed yet: the job runs every 10 minutes."}</p>
            </div>
            {t.breakdown.packages.length === 0 ? (
              <EmptyState title="No published packages yet">{"Each published package's trust appears here with what went into it."}</EmptyState>
            ) : (
              <div className="sm:overflow-x-auto">
                <table className="table-stack w-full text-left text-sm sm:min-w-[44rem]">
                  <TableHead className="border-b border-slate-200" cellClassName="px-2 py-2" columns={["Package", "Trust", "Runs", "Buying workspaces", "Provider failures", "Success weight", "Failure weight"]} />
                  <tbody className="divide-y divide-slate-100">
                    {t.breakdown.packages.map((p) => (
                      <tr key={p.slug} data-testid="trust-row">
                        <td data-label="Package" className="px-2 py-2">
                          <Link href={`/agents/${p.slug}`} className="font-mono underline">
                            {p.slug}
                          </Link>
                        </td>
                        <td data-label="Trust" className="px-2 py-2">{trustLabel({ ...p, computedAt: null })}</td>
                        <td data-label="Runs" className="px-2 py-2 tabular-nums">{p.runs}</td>
                        <td data-label="Workspaces" className="px-2 py-2 tabular-nums">{p.workspaces}</td>
                        <td data-label="Failures" className="px-2 py-2 tabular-nums">{p.providerFailures}</td>
                        <td data-label="For" className="px-2 py-2 tabular-nums">{usd(p.successWeight)}</td>
                        <td data-label="Against" className="px-2 py-2 tabular-nums">{usd(p.failureWeight)}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            )}
          </div>
        )}
      </QueryStates>
    </Card>
  );
}
