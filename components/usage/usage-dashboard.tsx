"use client";

import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { Card } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { Field } from "@/components/ui/field";
import { QueryStates } from "@/components/ui/query-states";
import { formatNumber, formatUsd } from "@/components/ui/format";
import { useUrlFilters } from "@/components/ui/use-url-filters";
import { KeyValueList } from "@/components/ui/key-value-list";
import { apiFetch } from "@/components/api/fetch-json";
import { useEventStream } from "@/components/events/event-stream";
import type { usageDaily, usageSummary } from "@/lib/usage/usage-queries";
import { seriesColor, StackedDaily, type DayRow } from "./usage-charts";

type Summary = Awaited<ReturnType<typeof usageSummary>>;
type Daily = Awaited<ReturnType<typeof usageDaily>>;

const DAY_MS = 86_400_000;
const isoDay = (d: Date) => d.toISOString().slice(0, 10);
const PRESETS = [7, 30, 90] as const;

/** Every day of the range, oldest first (days without runs are zeros in the charts). */
function daysOf(from: string, to: string): string[] {
  const days: string[] = [];
  for (let t = Date.parse(`${from}T00:00:00Z`); t <= Date.parse(`${to}T00:00:00Z`); t += DAY_MS) days.push(isoDay(new Date(t)));
  return days;
}

function pivot(daily: Daily, days: string[], value: (r: Daily["data"][number]) => Record<string, number>): DayRow[] {
  const rows = new Map(days.map((d) => [d, { day: d } as DayRow]));
  for (const r of daily.data) {
    const row = rows.get(r.day);
    if (!row) continue;
    for (const [k, v] of Object.entries(value(r))) row[k] = (Number(row[k]) || 0) + v;
  }
  return [...rows.values()];
}

const SETTLED_RUN_EVENTS = ["run.succeeded", "run.failed", "run.canceled"] as const;

/** The Usage page: a date range (in the URL), spend by agent, tokens, runs by status, top agents, spend per key, balance and burn rate. */
export function UsageDashboard() {
  const { filters, setFilter, setFilters } = useUrlFilters(["from", "to"] as const);
  const [today] = useState(() => isoDay(new Date()));
  const to = filters.to || today;
  const from = filters.from || isoDay(new Date(Date.parse(`${to}T00:00:00Z`) - 29 * DAY_MS));
  const qs = new URLSearchParams({ from, to }).toString();
  const summary = useQuery({ queryKey: ["usage-summary", qs], queryFn: () => apiFetch<Summary>(`/api/v1/usage/summary?${qs}`), placeholderData: (p) => p });
  const daily = useQuery({ queryKey: ["usage-daily", qs], queryFn: () => apiFetch<Daily>(`/api/v1/usage/daily?${qs}&groupBy=agent`), placeholderData: (p) => p });
  // A run settled (its spend is in the rollup): the figures are read again, from the live event stream.
  useEventStream(() => {
    void summary.refetch({ cancelRefetch: false });
    void daily.refetch({ cancelRefetch: false });
  }, SETTLED_RUN_EVENTS);
  const setPreset = (days: number) => setFilters({ to: "", from: isoDay(new Date(Date.parse(`${today}T00:00:00Z`) - (days - 1) * DAY_MS)) });

  return (
    <div className="space-y-6">
      <div className="flex flex-wrap items-end gap-3">
        <Field label="From" type="date" value={from} max={to} onChange={(e) => setFilter("from", e.target.value)} />
        <Field label="To" type="date" value={to} min={from} onChange={(e) => setFilter("to", e.target.value)} />
        <div className="flex gap-1" role="group" aria-label="Quick ranges">
          {PRESETS.map((d) => (
            <button key={d} type="button" onClick={() => setPreset(d)} className="rounded-md px-2 py-1.5 text-sm text-slate-700 ring-1 ring-slate-200 hover:bg-slate-50">
              {d} days
            </button>
          ))}
        </div>
        <a href={`/api/v1/usage/export.csv?${qs}`} className="ml-auto text-sm font-medium text-brand-700 underline" download>
          Export runs (CSV)
        </a>
      </div>

      <QueryStates query={summary} noun="usage">
        {(s) => (
          <>
            <div className="grid gap-4 sm:grid-cols-2 lg:grid-cols-4" data-testid="usage-totals">
              <Stat label="Spend" value={formatUsd(s.totals.spendMicros)} />
              <Stat label="Runs" value={formatNumber(s.totals.runs)} detail={`${formatNumber(s.totals.succeeded)} succeeded · ${formatNumber(s.totals.failed)} failed · ${formatNumber(s.totals.canceled)} canceled`} />
              <Stat label="Tokens" value={formatNumber(s.totals.inputTokens + s.totals.outputTokens)} detail={`${formatNumber(s.totals.inputTokens)} in · ${formatNumber(s.totals.outputTokens)} out`} />
              <Balance balance={s.balance} />
            </div>
            {s.totals.runs === 0 && <EmptyState title="No runs in this range">Runs appear here when they finish, whether started in the browser or with an API key.</EmptyState>}
          </>
        )}
      </QueryStates>

      <QueryStates query={daily} noun="daily usage">
        {(d) => {
          const days = daysOf(from, to);
          const agents = [...new Set(d.data.map((r) => r.group))];
          const agentSeries = agents.map((a, i) => ({ key: a, label: a, color: seriesColor(i) }));
          return (
            <div className="grid gap-6 lg:grid-cols-2">
              <Card title="Spend per day" description="Stacked by agent.">
                <StackedDaily label="Spend per day by agent" money data={pivot(d, days, (r) => ({ [r.group]: r.spendMicros }))} series={agentSeries} />
              </Card>
              <Card title="Tokens per day">
                <StackedDaily
                  label="Tokens per day"
                  data={pivot(d, days, (r) => ({ input: r.inputTokens, output: r.outputTokens, cache: r.cacheReadTokens + r.cacheWriteTokens }))}
                  series={[
                    { key: "input", label: "Input", color: seriesColor(0) },
                    { key: "output", label: "Output", color: seriesColor(1) },
                    { key: "cache", label: "Cache", color: seriesColor(9) },
                  ]}
                />
              </Card>
              <Card title="Runs by status">
                <StackedDaily
                  label="Runs per day by status"
                  data={pivot(d, days, (r) => ({ succeeded: r.succeeded, failed: r.failed, canceled: r.canceled }))}
                  series={[
                    { key: "succeeded", label: "Succeeded", color: seriesColor(2) },
                    { key: "failed", label: "Failed", color: seriesColor(4) },
                    { key: "canceled", label: "Canceled", color: seriesColor(3) },
                  ]}
                />
              </Card>
              {summary.data && <Breakdowns summary={summary.data} />}
            </div>
          );
        }}
      </QueryStates>
    </div>
  );
}

const runs = (n: number) => `${formatNumber(n)} run${n === 1 ? "" : "s"}`;

function Stat({ label, value, detail }: { label: string; value: string; detail?: string }) {
  return (
    <div className="rounded-lg bg-white p-4 shadow-sm ring-1 ring-slate-200">
      <p className="text-xs font-semibold uppercase tracking-wide text-slate-500">{label}</p>
      <p className="mt-1 text-2xl font-semibold tabular-nums">{value}</p>
      {detail && <p className="mt-1 text-xs text-slate-500">{detail}</p>}
    </div>
  );
}

function Balance({ balance }: { balance: Summary["balance"] }) {
  const days = balance.daysLeft;
  return (
    <div id="balance">
      <Stat
        label="Balance"
        value={formatUsd(balance.availableMicros)}
        detail={
          balance.burnPerDayMicros > 0
            ? `Burning ${formatUsd(balance.burnPerDayMicros)}/day (last 7 days): ${days === 0 ? "less than a day" : `about ${formatNumber(days!)} day${days === 1 ? "" : "s"}`} left`
            : "Nothing spent in the last 7 days"
        }
      />
    </div>
  );
}

function Breakdowns({ summary }: { summary: Summary }) {
  return (
    <Card title="Top agents and API keys" description="By spend in this range.">
      <div className="space-y-4">
        <KeyValueList rows={summary.topAgents.map((a) => [a.agent, `${formatUsd(a.spendMicros)} · ${runs(a.runs)}`] as [string, string])} />
        <h3 className="text-xs font-semibold uppercase tracking-wide text-slate-500">Per key</h3>
        <KeyValueList rows={summary.byKey.map((k) => [k.name, `${formatUsd(k.spendMicros)} · ${runs(k.runs)}`] as [string, string])} />
      </div>
    </Card>
  );
}
