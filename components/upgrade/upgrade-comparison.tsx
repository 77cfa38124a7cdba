"use client";

import { useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { apiFetch } from "@/components/api/fetch-json";
import { RunStatusBadge } from "@/components/runs/run-status-badge";
import { Alert } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { Card } from "@/components/ui/card";
import { countOf, formatDuration } from "@/components/ui/format";
import { Usd } from "@/components/ui/usd";
import type { JsonDiff } from "@/lib/packages/json-diff";
import type { UpgradePreviewJson } from "@/lib/packages/upgrade-preview";

type Item = UpgradePreviewJson["items"][number];
type Side = NonNullable<Item["base"]>;

/** How often the page re-reads a preview while a run of it is pending, queued or running. */
const POLL_MS = 3_000;

/** An upgrade preview's comparison: totals, then per input version A and version B side by side (stacked on a phone), with the output difference. */
export function UpgradeComparison({ initial }: { initial: UpgradePreviewJson }) {
  const queryClient = useQueryClient();
  const queryKey = ["upgrade-preview", initial.id];
  const preview = useQuery({
    queryKey,
    // While an item waits for a free run slot, each poll asks the server to start it (POST …/advance); otherwise a plain read.
    queryFn: ({ signal }) =>
      (queryClient.getQueryData<UpgradePreviewJson>(queryKey) ?? initial).items.some((i) => i.pending)
        ? apiFetch<UpgradePreviewJson>(`/api/v1/upgrade-previews/${initial.id}/advance`, { method: "POST", signal })
        : apiFetch<UpgradePreviewJson>(`/api/v1/upgrade-previews/${initial.id}`, { signal }),
    initialData: initial,
    refetchInterval: (q) => (q.state.data?.live ? POLL_MS : false),
    refetchOnMount: initial.live ? "always" : false,
  });
  const p = preview.data;
  const { from, to } = p.totals;

  return (
    <div className="space-y-6">
      <Card title="Totals" description={p.live ? "Runs still in progress: this page updates by itself." : `${countOf(p.items.length, "input")} of ${p.agent}, run on both versions.`} actions={p.live ? <Badge tone="brand">running</Badge> : <Badge tone="success">done</Badge>}>
        <dl className="grid grid-cols-1 gap-3 text-sm sm:grid-cols-3" data-testid="upgrade-totals">
          <Total label={`A · ${p.from}`} price={from.priceMicros} succeeded={from.succeeded} runs={from.runs} />
          <Total label={`B · ${p.to}`} price={to.priceMicros} succeeded={to.succeeded} runs={to.runs} />
          <div className="rounded-md bg-slate-50 p-3">
            <dt className="text-slate-600">Quoted hold</dt>
            <dd className="text-lg font-semibold tabular-nums">
              <Usd micros={p.quoteMicros} />
            </dd>
            {p.totals.failedToStart > 0 && <dd className="text-red-700">{countOf(p.totals.failedToStart, "input")} could not start</dd>}
          </div>
        </dl>
      </Card>
      {preview.isError && <Alert tone="warning">Could not refresh: {preview.error.message}</Alert>}
      <ol className="space-y-4" aria-label="Inputs compared">
        {p.items.map((item) => (
          <ItemRow key={item.position} item={item} from={p.from} to={p.to} />
        ))}
      </ol>
    </div>
  );
}

function Total({ label, price, succeeded, runs }: { label: string; price: number; succeeded: number; runs: number }) {
  return (
    <div className="rounded-md bg-slate-50 p-3">
      <dt className="text-slate-600">{label}</dt>
      <dd className="text-lg font-semibold tabular-nums">
        <Usd micros={price} />
      </dd>
      <dd className="text-slate-600">
        {succeeded} of {countOf(runs, "run")} succeeded
      </dd>
    </div>
  );
}

function ItemRow({ item, from, to }: { item: Item; from: string; to: string }) {
  return (
    <li className="rounded-lg bg-white shadow-sm ring-1 ring-slate-200" data-testid="upgrade-item">
      <h2 className="border-b border-slate-100 px-4 py-2 text-sm font-semibold text-slate-900 sm:px-6">Input {item.position + 1}</h2>
      <div className="grid grid-cols-1 divide-y divide-slate-100 sm:grid-cols-2 sm:divide-x sm:divide-y-0">
        <RunSide label={`A · ${from}`} side={item.base} />
        {item.next ? (
          <RunSide label={`B · ${to}`} side={item.next} />
        ) : (
          <div className="space-y-1 px-4 py-3 text-sm sm:px-6">
            <p className="text-xs font-medium uppercase tracking-wide text-slate-500">B · {to}</p>
            {item.error ? <p className="text-red-700">Not started: {item.error.message}</p> : <p className="text-slate-600">Waiting for a free run slot…</p>}
          </div>
        )}
      </div>
      <div className="border-t border-slate-100 px-4 py-3 text-sm sm:px-6">
        <OutputDiff diff={item.diff} waiting={!item.error && !item.diff} />
      </div>
    </li>
  );
}

function RunSide({ label, side }: { label: string; side: Side | null }) {
  if (!side) return <p className="px-4 py-3 text-sm text-slate-600 sm:px-6">The run is no longer available.</p>;
  return (
    <div className="space-y-1 px-4 py-3 text-sm sm:px-6" data-testid="upgrade-side">
      <p className="text-xs font-medium uppercase tracking-wide text-slate-500">{label}</p>
      <div className="flex flex-wrap items-center gap-x-3 gap-y-1">
        <span data-testid="upgrade-side-status">
          <RunStatusBadge status={side.status} />
        </span>
        <Usd micros={side.priceMicros} className="tabular-nums" />
        <span className="tabular-nums text-slate-600">{side.durationMs === null ? "—" : formatDuration(side.durationMs)}</span>
        <Link href={`/runs/${side.id}`} className="text-brand-700 underline">
          Open run
        </Link>
      </div>
      {side.error && <p className="text-red-700">{side.error.message}</p>}
    </div>
  );
}

function OutputDiff({ diff, waiting }: { diff: JsonDiff | null; waiting: boolean }) {
  if (!diff) return <p className="text-slate-500">{waiting ? "The output difference shows when the run ends." : "No output to compare."}</p>;
  if (diff.equal) return <p className="text-emerald-700">Same output on both versions.</p>;
  return (
    <details>
      <summary className="cursor-pointer font-medium text-slate-800">
        Output difference: {countOf(diff.entries.length, "change")}
        {diff.truncated && " (the first ones)"}
      </summary>
      <ul className="mt-2 space-y-2">
        {diff.entries.map((e) => (
          <li key={`${e.kind}${e.path}`} className="min-w-0 rounded-md bg-slate-50 p-2">
            <p className="flex flex-wrap items-center gap-2">
              <Badge tone={e.kind === "added" ? "success" : e.kind === "removed" ? "danger" : "warning"}>{e.kind}</Badge>
              <code className="break-all text-xs">{e.path || "(the whole output)"}</code>
            </p>
            {e.before !== undefined && <pre className="mt-1 whitespace-pre-wrap break-all text-xs text-red-800">− {e.before}</pre>}
            {e.after !== undefined && <pre className="mt-1 whitespace-pre-wrap break-all text-xs text-emerald-800">+ {e.after}</pre>}
          </li>
        ))}
      </ul>
    </details>
  );
}
