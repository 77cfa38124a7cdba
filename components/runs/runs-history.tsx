"use client";

import Link from "next/link";
import { Alert } from "@/components/ui/alert";
import { buttonClass } from "@/components/ui/button";
import { Field, SelectField } from "@/components/ui/field";
import { LoadMore } from "@/components/ui/load-more";
import { useCursorList, useUrlFilters } from "@/components/ui/use-url-filters";
import { EmptyState } from "@/components/ui/empty-state";
import { TableHead } from "@/components/ui/table-head";
import { formatDuration, formatNumber, formatUsd, timeAgo } from "@/components/ui/format";
import { Badge } from "@/components/ui/badge";
import { RunStatusBadge } from "./run-status-badge";
import { runStatuses } from "@/lib/runs/schemas";
import { runErrorTitle, type RunSummary } from "./run-types";


/** The workspace's runs: filters in the URL, newest first, "Load more" through the API's cursor. */
const RUN_EVENTS = ["run.*"] as const;

export function RunsHistory({ agents }: { agents: { slug: string; name: string }[] }) {
  const { filters, setFilter } = useUrlFilters(["status", "agent", "from"] as const);
  // A run started or ended in the workspace (the live event stream, no polling): the list is read again.
  const { query, items: runs } = useCursorList<{ data: RunSummary[]; nextCursor: string | null }>("/api/v1/runs", filters, { liveOn: RUN_EVENTS });

  return (
    <div className="space-y-4">
      <div className="grid gap-3 sm:grid-cols-3">
        <SelectField label="Status" value={filters.status} onChange={(e) => setFilter("status", e.target.value)}>
          <option value="">Any status</option>
          {runStatuses.map((s) => (
            <option key={s} value={s}>
              {s.toLowerCase()}
            </option>
          ))}
        </SelectField>
        <SelectField label="Agent" value={filters.agent} onChange={(e) => setFilter("agent", e.target.value)}>
          <option value="">Any agent</option>
          {agents.map((a) => (
            <option key={a.slug} value={a.slug}>
              {a.name}
            </option>
          ))}
        </SelectField>
        <Field label="Since" type="date" value={filters.from} onChange={(e) => setFilter("from", e.target.value)} />
      </div>

      {query.isError && <Alert tone="error">{query.error.message}</Alert>}
      {query.isPending ? (
        <p className="text-sm text-slate-500">Loading runs…</p>
      ) : runs.length === 0 ? (
        <EmptyState title={Object.values(filters).some(Boolean) ? "No runs match these filters" : "No runs yet"}>
          <Link href="/agents" className={buttonClass("primary", "mt-3")}>
            Browse agents
          </Link>
        </EmptyState>
      ) : (
        <div className="rounded-lg bg-white shadow-sm ring-1 ring-slate-200 sm:overflow-x-auto">
          <table className="table-stack w-full text-left text-sm sm:min-w-[44rem]">
            <TableHead
              className="border-b border-slate-200"
              columns={["Run", "Status", "Model", ...["Tokens", "Price", "Duration", "Started"].map((label) => ({ label, className: "text-right" }))]}
            />
            <tbody className="divide-y divide-slate-100">
              {runs.map((r) => (
                <tr key={r.id} className="hover:bg-slate-50">
                  <td data-label="Run" className="px-4 py-2">
                    <div>
                      <Link href={`/runs/${r.id}`} className="font-medium text-brand-700 hover:underline">
                        {r.agentName}
                      </Link>
                      <div className="font-mono text-xs text-slate-500">
                        {r.id} · v{r.agentVersion} {r.deprecation && <Badge tone="warning">yanked</Badge>}
                      </div>
                    </div>
                  </td>
                  <td data-label="Status" className="px-4 py-2">
                    <div>
                      <RunStatusBadge status={r.status} />
                      {r.error && r.status !== "SUCCEEDED" && <div className="text-xs text-slate-500">{runErrorTitle(r.error.code)}</div>}
                    </div>
                  </td>
                  <td data-label="Model" className="px-4 py-2 text-xs text-slate-600">{r.modelLabel}</td>
                  <td data-label="Tokens" className="px-4 py-2 text-right font-mono text-xs tabular-nums">{formatNumber(r.usage.inputTokens + r.usage.outputTokens)}</td>
                  <td data-label="Price" className="px-4 py-2 text-right font-mono text-xs tabular-nums">{formatUsd(r.priceMicros)}</td>
                  <td data-label="Duration" className="px-4 py-2 text-right font-mono text-xs tabular-nums">{r.durationMs === null ? "—" : formatDuration(r.durationMs)}</td>
                  <td data-label="Started" className="px-4 py-2 text-right text-xs text-slate-500">
                    <time dateTime={r.createdAt} title={new Date(r.createdAt).toLocaleString()}>
                      {timeAgo(r.createdAt)}
                    </time>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <LoadMore query={query} />
    </div>
  );
}
