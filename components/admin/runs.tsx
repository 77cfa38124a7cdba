"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { Card } from "@/components/ui/card";
import { KeyValueList } from "@/components/ui/key-value-list";
import { QueryStates } from "@/components/ui/query-states";
import { formatNumber, formatUsd } from "@/components/ui/format";
import { TableHead } from "@/components/ui/table-head";
import { RunStatusBadge } from "@/components/runs/run-status-badge";
import { apiFetch } from "@/components/api/fetch-json";
import type { adminGetRun, adminListRuns } from "@/lib/admin/runs-admin";
import { runStatuses } from "@/lib/runs/schemas";
import { SearchList } from "./search-list";

type Row = Awaited<ReturnType<typeof adminListRuns>>["data"][number];
type Detail = Awaited<ReturnType<typeof adminGetRun>>;

export function AdminRuns() {
  return (
    <SearchList<Row>
      path="/api/v1/admin/runs"
      noun="runs"
      filters={[
        { key: "status", label: "Status", options: runStatuses },
        { key: "agent", label: "Agent slug" },
        { key: "workspace", label: "Workspace (id or slug)" },
        { key: "model", label: "Model" },
        { key: "errorCode", label: "Error code" },
        { key: "from", label: "Since", type: "date" },
      ]}
    >
      {(rows) => (
        <table className="w-full min-w-[48rem] text-left text-sm">
          <TableHead className="border-b border-slate-200" columns={["Run", "Workspace", "Status", "Model", "Price", "Started"]} />
          <tbody className="divide-y divide-slate-100">
            {rows.map((r) => (
              <tr key={r.id} data-testid="admin-run-row">
                <td className="px-4 py-2">
                  <Link href={`/admin/runs/${r.id}`} className="font-medium text-brand-700 underline">
                    {r.agentName}
                  </Link>
                </td>
                <td className="px-4 py-2">
                  <Link href={`/admin/workspaces/${r.workspace.id}`} className="font-mono text-xs underline">
                    {r.workspace.slug}
                  </Link>
                </td>
                <td className="px-4 py-2">
                  <RunStatusBadge status={r.status} /> {r.error && <span className="font-mono text-xs text-red-700">{r.error.code}</span>}
                </td>
                <td className="px-4 py-2 font-mono text-xs">{r.model}</td>
                <td className="px-4 py-2 tabular-nums">{formatUsd(r.priceMicros)}</td>
                <td className="px-4 py-2">{r.createdAt.slice(0, 16).replace("T", " ")}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </SearchList>
  );
}

/** Any run's transcript, read-only: the event log as recorded. */
export function AdminRunDetail({ id }: { id: string }) {
  const q = useQuery({ queryKey: ["admin", "run", id], queryFn: () => apiFetch<Detail>(`/api/v1/admin/runs/${id}`) });
  return (
    <QueryStates query={q} noun="the run">
      {(r) => (
        <div className="space-y-6">
          <div className="flex flex-wrap items-center gap-3">
            <h1 className="text-2xl font-bold tracking-tight">{r.agentName}</h1>
            <RunStatusBadge status={r.status} />
            <Link href={`/admin/workspaces/${r.workspace.id}`} className="text-sm underline">
              {r.workspace.name}
            </Link>
          </div>
          {/* One shrinkable column on phones: a long value in the event log wraps instead of widening the page. */}
          <div className="grid grid-cols-1 gap-6 lg:grid-cols-3">
            <Card title="Transcript" className="lg:col-span-2">
              <ol className="space-y-2 text-sm" aria-label="Event log">
                {r.events.map((e) => (
                  <li key={e.seq} className="rounded bg-slate-50 p-2">
                    <span className="font-mono text-xs text-slate-500">
                      #{e.seq} {e.type} · {e.at.slice(11, 23)}
                    </span>
                    <pre tabIndex={0} className="mt-1 max-h-48 overflow-auto whitespace-pre-wrap text-xs [overflow-wrap:anywhere]">{JSON.stringify(e.data, null, 2)}</pre>
                  </li>
                ))}
              </ol>
            </Card>
            <Card title="Run">
              <KeyValueList
                rows={[
                  ["Id", r.id],
                  ["Model", r.model],
                  ["Tokens in / out", `${formatNumber(r.usage.inputTokens)} / ${formatNumber(r.usage.outputTokens)}`],
                  ["Model cost", formatUsd(r.costMicros)],
                  ["Price", formatUsd(r.priceMicros)],
                  ["Error", r.error ? `${r.error.code}: ${r.error.message}` : "—"],
                  ["Failure cause", r.failureCause ?? "—"],
                  ["Created", r.createdAt.slice(0, 19).replace("T", " ")],
                ]}
              />
            </Card>
          </div>
        </div>
      )}
    </QueryStates>
  );
}
