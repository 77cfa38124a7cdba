"use client";

import { useInfiniteQuery } from "@tanstack/react-query";
import Link from "next/link";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { apiFetch } from "@/lib/http/client-errors";
import { Alert } from "@/components/ui/alert";
import { buttonClass, Button } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";
import { formatDuration, formatNumber, formatUsd, timeAgo } from "@/components/ui/format";
import { RunStatusBadge } from "./run-status-badge";
import type { RunSummary } from "./run-types";

const STATUSES = ["QUEUED", "RUNNING", "SUCCEEDED", "FAILED", "CANCELED"];
const selectClass = "block w-full rounded-md border-0 bg-white px-3 py-2 text-sm shadow-sm ring-1 ring-inset ring-slate-300 focus:ring-2 focus:ring-brand-500";

/** The workspace's runs: filters in the URL, newest first, "Load more" through the API's cursor. */
export function RunsHistory({ agents }: { agents: { slug: string; name: string }[] }) {
  const router = useRouter();
  const pathname = usePathname();
  const params = useSearchParams();
  const filters = { status: params.get("status") ?? "", agent: params.get("agent") ?? "", from: params.get("from") ?? "" };
  const setParam = (key: keyof typeof filters, value: string) => {
    const next = new URLSearchParams(params);
    if (value) next.set(key, value);
    else next.delete(key);
    router.replace(`${pathname}${next.size ? `?${next}` : ""}`, { scroll: false });
  };

  const query = useInfiniteQuery({
    queryKey: ["runs", filters],
    initialPageParam: "",
    queryFn: ({ pageParam, signal }) => {
      const qs = new URLSearchParams(Object.entries(filters).filter(([, v]) => v));
      if (pageParam) qs.set("cursor", pageParam);
      return apiFetch<{ data: RunSummary[]; nextCursor: string | null }>(`/api/v1/runs?${qs}`, { signal });
    },
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    refetchInterval: (q) => (q.state.data?.pages[0]?.data.some((r) => r.status === "QUEUED" || r.status === "RUNNING") ? 2_000 : false),
  });
  const runs = query.data?.pages.flatMap((p) => p.data) ?? [];

  return (
    <div className="space-y-4">
      <div className="grid gap-3 sm:grid-cols-3">
        <div className="space-y-1">
          <label htmlFor="runs-status" className="block text-sm font-medium text-slate-800">
            Status
          </label>
          <select id="runs-status" value={filters.status} onChange={(e) => setParam("status", e.target.value)} className={selectClass}>
            <option value="">Any status</option>
            {STATUSES.map((s) => (
              <option key={s} value={s}>
                {s.toLowerCase()}
              </option>
            ))}
          </select>
        </div>
        <div className="space-y-1">
          <label htmlFor="runs-agent" className="block text-sm font-medium text-slate-800">
            Agent
          </label>
          <select id="runs-agent" value={filters.agent} onChange={(e) => setParam("agent", e.target.value)} className={selectClass}>
            <option value="">Any agent</option>
            {agents.map((a) => (
              <option key={a.slug} value={a.slug}>
                {a.name}
              </option>
            ))}
          </select>
        </div>
        <div className="space-y-1">
          <label htmlFor="runs-from" className="block text-sm font-medium text-slate-800">
            Since
          </label>
          <input id="runs-from" type="date" value={filters.from} onChange={(e) => setParam("from", e.target.value)} className={selectClass} />
        </div>
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
        <div className="overflow-x-auto rounded-lg bg-white shadow-sm ring-1 ring-slate-200">
          <table className="w-full min-w-[44rem] text-left text-sm">
            <thead className="border-b border-slate-200 text-xs uppercase tracking-wide text-slate-500">
              <tr>
                <th className="px-4 py-2">Run</th>
                <th className="px-4 py-2">Status</th>
                <th className="px-4 py-2">Model</th>
                <th className="px-4 py-2 text-right">Tokens</th>
                <th className="px-4 py-2 text-right">Price</th>
                <th className="px-4 py-2 text-right">Duration</th>
                <th className="px-4 py-2 text-right">Started</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {runs.map((r) => (
                <tr key={r.id} className="hover:bg-slate-50">
                  <td className="px-4 py-2">
                    <Link href={`/runs/${r.id}`} className="font-medium text-brand-700 hover:underline">
                      {r.agentName}
                    </Link>
                    <div className="font-mono text-xs text-slate-400">{r.id}</div>
                  </td>
                  <td className="px-4 py-2">
                    <RunStatusBadge status={r.status} />
                    {r.error && r.status !== "SUCCEEDED" && <div className="text-xs text-slate-500">{r.error.code}</div>}
                  </td>
                  <td className="px-4 py-2 text-xs text-slate-600">{r.modelLabel}</td>
                  <td className="px-4 py-2 text-right font-mono text-xs tabular-nums">{formatNumber(r.usage.inputTokens + r.usage.outputTokens)}</td>
                  <td className="px-4 py-2 text-right font-mono text-xs tabular-nums">{formatUsd(r.priceMicros)}</td>
                  <td className="px-4 py-2 text-right font-mono text-xs tabular-nums">{r.durationMs === null ? "—" : formatDuration(r.durationMs)}</td>
                  <td className="px-4 py-2 text-right text-xs text-slate-500">
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
      {query.hasNextPage && (
        <div className="flex justify-center">
          <Button variant="secondary" pending={query.isFetchingNextPage} onClick={() => query.fetchNextPage()}>
            Load more
          </Button>
        </div>
      )}
    </div>
  );
}
