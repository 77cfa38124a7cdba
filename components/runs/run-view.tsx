"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useEffect, useState } from "react";
import { apiFetch } from "@/components/api/fetch-json";
import { Alert } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { Breadcrumb } from "@/components/ui/breadcrumb";
import { KeyValueList } from "@/components/ui/key-value-list";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { formatDuration, formatNumber, formatUsd, formatUsdExact } from "@/components/ui/format";
import { useBalance } from "@/components/layout/balance-badge";
import { useHydrated } from "@/components/ui/use-client-value";
import type { PriceBreakdown } from "@/lib/runs/money/price";
import { ChildRuns } from "./child-runs";
import { RunNextSteps } from "./run-next-steps";
import { RunOutput } from "./run-output";
import { RunStatusBadge } from "./run-status-badge";
import { TERMINAL_STATUSES } from "@/lib/runs/schemas";
import { failureCauseText, runErrorTitle, transcript, type RunDetail, type TranscriptItem } from "./run-types";
import { useLiveRunDetail } from "./use-live-run-detail";
import { useRunEvents } from "./use-run-events";

/**
 * A run, live: status, elapsed time, streamed text, tool calls, then output, usage and price. Also the replay of any
 * past run: `replay` when it had ended well before the page opened (the server decides, so both renders agree).
 */
export function RunView({ initial, replay = TERMINAL_STATUSES.has(initial.status) }: { initial: RunDetail; replay?: boolean }) {
  const queryClient = useQueryClient();
  const { events, state } = useRunEvents(initial.id);
  const latestStatus = [...events].reverse().find((e) => e.type === "status" && !e.data.retry)?.data.status as string | undefined;
  const status = latestStatus ?? initial.status;
  const finished = TERMINAL_STATUSES.has(status);

  const detail = useLiveRunDetail(initial, events, state === "ended");
  const cancel = useMutation({
    mutationFn: () => apiFetch<RunDetail>(`/api/v1/runs/${initial.id}/cancel`, { method: "POST" }),
    onSuccess: (canceled) => queryClient.setQueryData(["run", initial.id], canceled),
  });
  const output = events.find((e) => e.type === "output")?.data.output ?? detail.output;
  const usage = events.find((e) => e.type === "usage")?.data as UsageEvent | undefined;
  const items = transcript(events);
  const toolCalls = Math.max(detail.toolCalls, events.filter((e) => e.type === "tool_call").length);

  return (
    <div className="space-y-6">
      <Breadcrumb parent={{ href: "/runs", label: "Runs" }} current={initial.id} mono />
      <header className="flex flex-wrap items-center gap-3">
        <h1 className="text-2xl font-bold tracking-tight">
          <Link href={`/agents/${detail.agent}`} className="hover:underline">
            {detail.agentName}
          </Link>
        </h1>
        <span role="status" aria-live="polite" data-testid="run-status">
          <RunStatusBadge status={status} />
        </span>
        <Badge tone={detail.provider === "offline" ? "neutral" : "brand"}>{detail.modelLabel}</Badge>
        <Badge tone={detail.deprecation ? "warning" : "neutral"}>v{detail.agentVersion}{detail.deprecation ? " · yanked" : ""}</Badge>
        <Elapsed startedAt={detail.startedAt ?? events.find((e) => e.data.status === "RUNNING")?.at ?? null} finishedAt={detail.finishedAt ?? (finished ? events.at(-1)?.at ?? null : null)} />
        {!finished && (
          <Button variant="danger" className="ml-auto" pending={cancel.isPending} onClick={() => cancel.mutate()} disabled={cancel.isSuccess}>
            {cancel.isSuccess ? "Canceling…" : "Cancel run"}
          </Button>
        )}
      </header>
      {detail.provider === "offline" && (
        <Alert tone="info">
          This run used the <strong>offline model</strong>: the agent&apos;s tools ran for real on your input, and the answer was composed from their results without a language model. Model cost is $0.
        </Alert>
      )}
      {cancel.error && <Alert tone="error">{cancel.error.message}</Alert>}
      {detail.deprecation && (
        <Alert tone="warning">
          <span data-testid="run-deprecation">{detail.deprecation.message}</span>
        </Alert>
      )}
      {detail.parentRunId && (
        <Alert tone="info">
          A child run, started by run{" "}
          <Link href={`/runs/${detail.parentRunId}`} className="font-mono underline">
            {detail.parentRunId}
          </Link>
          ; charged as its own run.
        </Alert>
      )}
      {finished && (
        <Card title="Next steps">
          <RunNextSteps run={detail} output={output} />
        </Card>
      )}
      {state === "failed" && <Alert tone="error">Lost the live connection to this run. Reload the page to reconnect.</Alert>}

      <div className="grid gap-6 lg:grid-cols-3">
        <div className="min-w-0 space-y-6 lg:col-span-2">
          <Card title="Transcript" description={replay ? "Replayed from the run's event log." : finished ? "Streamed live as it ran." : "Live."}>
            <Transcript items={items} pending={transcriptPending(finished, replay, state, events.length > 0)} />
          </Card>
          {detail.children.length > 0 && (
            <Card title="Child runs" description="Runs this agent started, as a tree.">
              <ChildRuns runId={detail.id} runs={detail.children} />
            </Card>
          )}
          {output !== null && output !== undefined && (
            <Card title="Output" description={detail.outputNote ?? undefined}>
              <RunOutput output={output} />
            </Card>
          )}
          {detail.error && finished && status !== "SUCCEEDED" && (
            <Alert tone={status === "CANCELED" ? "warning" : "error"}>
              <strong>{runErrorTitle(detail.error.code)}.</strong> {detail.error.message}
              {detail.failureCause && <span className="mt-1 block" data-testid="failure-cause">{failureCauseText(detail.failureCause)}</span>}
            </Alert>
          )}
        </div>
        <div className="min-w-0 space-y-6">
          <Card title="Usage and price">
            <UsageTable run={detail} usage={usage} finished={finished} toolCalls={toolCalls} />
          </Card>
          <Card title="Input">
            <pre className="max-h-96 overflow-auto rounded-md bg-slate-50 p-3 text-xs">{JSON.stringify(detail.input, null, 2)}</pre>
          </Card>
        </div>
      </div>
    </div>
  );
}

function Elapsed({ startedAt, finishedAt }: { startedAt: string | null; finishedAt: string | null }) {
  const [now, setNow] = useState(() => Date.now());
  const hydrated = useHydrated(); // the clock is the browser's: the server's HTML shows no running time
  useEffect(() => {
    if (finishedAt || !startedAt) return;
    const timer = setInterval(() => setNow(Date.now()), 100);
    return () => clearInterval(timer);
  }, [startedAt, finishedAt]);
  if (!startedAt) return <span className="text-sm text-slate-600">waiting to start…</span>;
  const end = finishedAt ? new Date(finishedAt).getTime() : hydrated ? now : null;
  if (end === null) return null;
  const ms = end - new Date(startedAt).getTime();
  return (
    <span className="font-mono text-sm tabular-nums text-slate-600" aria-label="Elapsed time">
      {formatDuration(Math.max(0, ms))}
    </span>
  );
}

/** The spinner's words under the transcript, or null when nothing more is coming. */
function transcriptPending(finished: boolean, replay: boolean, state: string, streamed: boolean): string | null {
  if (!streamed && state === "connecting") return replay ? "Loading the transcript…" : "Starting…";
  return finished ? null : streamed ? "Working…" : "Starting…";
}

function Transcript({ items, pending }: { items: TranscriptItem[]; pending: string | null }) {
  return (
    <ol className="space-y-3" aria-label="Run transcript">
      {items.map((item) => (
        <li key={item.key}>
          {item.kind === "text" && <p className="whitespace-pre-wrap break-words text-sm text-slate-800">{item.text}</p>}
          {item.kind === "answer" && (
            <details className="text-sm">
              <summary className="cursor-pointer font-medium text-slate-700">The model&apos;s final answer (JSON, rendered under Output)</summary>
              <pre className="mt-2 max-h-64 overflow-auto whitespace-pre-wrap break-words rounded bg-slate-50 p-2 text-xs">{item.text}</pre>
            </details>
          )}
          {item.kind === "tool" && (
            <details className="rounded-md ring-1 ring-slate-200" data-testid="tool-call">
              <summary className="flex cursor-pointer flex-wrap items-center gap-2 px-3 py-2 text-sm">
                <span className="font-mono font-medium text-slate-900">{item.name}</span>
                {item.result ? (
                  <Badge tone={item.result.ok ? "success" : "danger"}>{item.result.ok ? "done" : "error"}</Badge>
                ) : (
                  <Badge tone="brand">running…</Badge>
                )}
                {item.result?.durationMs !== undefined && <span className="text-xs text-slate-500">{formatDuration(item.result.durationMs)}</span>}
              </summary>
              <div className="space-y-2 border-t border-slate-100 p-3">
                <p className="text-xs font-semibold uppercase text-slate-500">Input</p>
                <pre className="max-h-64 overflow-auto rounded bg-slate-50 p-2 text-xs">{JSON.stringify(item.input, null, 2)}</pre>
                {item.result && (
                  <>
                    <p className="text-xs font-semibold uppercase text-slate-500">{item.result.ok ? "Result" : "Error"}</p>
                    <pre className="max-h-64 overflow-auto rounded bg-slate-50 p-2 text-xs">{item.result.ok ? JSON.stringify(item.result.result, null, 2) : item.result.error}</pre>
                  </>
                )}
              </div>
            </details>
          )}
          {item.kind === "retry" && (
            <p className="text-xs text-amber-800">
              Model call failed ({item.reason}); retry {item.attempt} in {formatDuration(item.delayMs)}.
            </p>
          )}
          {item.kind === "resumed" && (
            <p className="text-xs text-amber-800" data-testid="run-resumed">
              The server running this agent stopped; another took the run up from its last completed step. Completed tool calls were kept; a model
              reply that was in progress was requested again, and its tokens count in the price.
            </p>
          )}
          {item.kind === "error" && (
            <Alert tone="error">
              <strong>{runErrorTitle(item.code)}.</strong> {item.message}
            </Alert>
          )}
        </li>
      ))}
      {pending && (
        <li className="flex items-center gap-2 text-sm text-slate-500">
          <span className="size-3 animate-spin rounded-full border-2 border-brand-500 border-r-transparent" aria-hidden /> {pending}
        </li>
      )}
    </ol>
  );
}

type UsageEvent = RunDetail["usage"] & { costMicros: number; priceMicros: number; breakdown?: PriceBreakdown };

/** Tokens while the run goes; once it ends, what the price is made of (SPEC §3) and the balance it left. */
function UsageTable({ run, usage, finished, toolCalls }: { run: RunDetail; usage?: UsageEvent; finished: boolean; toolCalls: number }) {
  const tokens = usage ?? run.usage;
  const b = usage?.breakdown ?? run.breakdown;
  const balance = useBalance();
  // The balance is the browser's cache (the header's, or fetched here): never in the server's HTML, which would differ from it.
  const hydrated = useHydrated();
  if (!finished || !b) {
    return (
      <KeyValueList
        rows={[
          ["Input tokens", formatNumber(tokens.inputTokens)],
          ["Output tokens", formatNumber(tokens.outputTokens)],
          ["Cache reads", formatNumber(tokens.cacheReadTokens)],
          ["Tool calls", formatNumber(toolCalls)],
          ["Price", finished ? formatUsdExact(usage?.priceMicros ?? run.priceMicros) : "when it finishes"],
        ]}
      />
    );
  }
  const line = (label: string, l: PriceBreakdown["input"]): [string, string] => [label, `${formatNumber(l.tokens)} · ${formatUsd(l.costMicros)}`];
  const rows: [string, string][] = [
    line("Input tokens", b.input),
    line("Output tokens", b.output),
    line("Cache reads", b.cacheRead),
    line("Cache writes", b.cacheWrite),
    ...(b.cacheSavingMicros > 0 ? [["Cache saving", `−${formatUsd(b.cacheSavingMicros)}`] as [string, string]] : []),
    ["Tool calls", formatNumber(toolCalls)],
    ["Model cost", formatUsd(b.modelCostMicros)],
    ["Platform fee", formatUsd(b.platformFeeMicros)],
  ];
  return (
    <div className="space-y-3" data-testid="price-breakdown">
      <KeyValueList rows={rows} />
      <p className="flex items-baseline justify-between border-t border-slate-200 pt-2 text-sm font-semibold">
        <span>Total charged</span>
        <span className="tabular-nums" data-testid="run-total">
          {formatUsdExact(b.totalMicros)}
        </span>
      </p>
      {b.absorbedMicros > 0 && (
        <p className="text-xs text-slate-500">
          {b.totalMicros === 0 ? "Failed runs are free: " : "The price passed what was held for this run: "}we absorbed {formatUsd(b.absorbedMicros)} of model cost.
        </p>
      )}
      {/* While the balance is refetched after the run's charge, the cached one is the balance before it: not shown. */}
      {hydrated && balance.data !== undefined && !balance.isFetching && <p className="text-xs text-slate-500">Workspace balance now: {formatUsdExact(balance.data)}</p>}
    </div>
  );
}
