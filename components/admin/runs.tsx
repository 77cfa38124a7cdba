"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useState } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { Field } from "@/components/ui/field";
import { RequestFailure } from "@/components/api/fetch-json";
import { adminSend, useAdminMutation } from "./admin-fetch";
import { KeyValueList } from "@/components/ui/key-value-list";
import { QueryStates } from "@/components/ui/query-states";
import { formatNumber, formatUsd, humanize } from "@/components/ui/format";
import { TableHead } from "@/components/ui/table-head";
import { RunStatusBadge } from "@/components/runs/run-status-badge";
import { apiFetch } from "@/components/api/fetch-json";
import type { adminGetRun, adminListRuns } from "@/lib/admin/runs-admin";
import { runStatuses } from "@/lib/runs/schemas";
import { SearchList } from "./search-list";

type Row = Awaited<ReturnType<typeof adminListRuns>>["data"][number];
type Detail = Awaited<ReturnType<typeof adminGetRun>>;

/** The run's ledger transfers (charge, share, fee, refund) and the refund action: the charge back, the provider's share and the fee taken back. */
function RunMoney({ run: r }: { run: Detail }) {
  const [reason, setReason] = useState("");
  const refund = useAdminMutation(() => adminSend(`/api/v1/admin/runs/${r.id}/refund`, "POST", { reason }), ["admin", "run", r.id]);
  const fieldError = refund.error instanceof RequestFailure ? refund.error.fieldErrors.reason : undefined;
  return (
    <Card title="Money" className="lg:col-span-3">
      <div className="space-y-4">
        {r.transfers.length === 0 ? (
          <p className="text-sm text-slate-500">No money moved for this run.</p>
        ) : (
          <ul className="divide-y divide-slate-100 text-sm" data-testid="run-transfers">
            {r.transfers.map((t) => (
              <li key={t.id} className="flex flex-wrap justify-between gap-2 py-1.5">
                <span>
                  <span className="font-medium">{humanize(t.reason)}</span> <span className="text-xs text-slate-500">{t.kind.toLowerCase().replace("_", " ")}</span>
                  {t.memo && <span className="text-slate-600"> · {t.memo}</span>}
                </span>
                <span className="tabular-nums">{formatUsd(t.amountMicros)}</span>
              </li>
            ))}
          </ul>
        )}
        {r.refunded ? (
          <Alert tone="success">Refunded.</Alert>
        ) : (
          r.priceMicros > 0 && (
            <form
              className="flex flex-col gap-2 sm:flex-row sm:items-end"
              onSubmit={(e) => {
                e.preventDefault();
                refund.mutate(undefined);
              }}
            >
              <Field label="Refund reason" name="reason" value={reason} onChange={(e) => setReason(e.target.value)} error={fieldError} className="sm:flex-1" />
              <Button type="submit" variant="secondary" pending={refund.isPending}>
                Refund {formatUsd(r.priceMicros)}
              </Button>
            </form>
          )
        )}
        {refund.error && !fieldError && <Alert tone="error">{refund.error.message}</Alert>}
      </div>
    </Card>
  );
}

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
                  ...(r.split
                    ? ([
                        ["Provider share", formatUsd(r.split.providerShareMicros)],
                        [`Platform fee (${r.split.platformFeeBps / 100}%)`, formatUsd(r.split.platformFeeMicros)],
                        ["Pass-through", formatUsd(r.split.passThroughMicros)],
                      ] as [string, string][])
                    : []),
                ]}
              />
            </Card>
            <RunMoney run={r} />
          </div>
        </div>
      )}
    </QueryStates>
  );
}
