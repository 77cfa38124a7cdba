"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { Card } from "@/components/ui/card";
import { KeyValueList } from "@/components/ui/key-value-list";
import { QueryStates } from "@/components/ui/query-states";
import { countOf, formatDuration, formatNumber, formatUsd } from "@/components/ui/format";
import { seriesColor, StackedDaily } from "@/components/usage/usage-charts";
import { apiFetch } from "@/components/api/fetch-json";
import type { adminOverview } from "@/lib/admin/overview";

type Overview = Awaited<ReturnType<typeof adminOverview>>;
const pct = (v: number | null) => (v === null ? "—" : `${(v * 100).toFixed(1)}%`);
const label = { 1: "Today", 7: "7 days", 30: "30 days" } as Record<number, string>;

export function AdminOverview() {
  const q = useQuery({ queryKey: ["admin", "overview"], queryFn: () => apiFetch<Overview>("/api/v1/admin/overview") });
  return (
    <QueryStates query={q} noun="the overview">
      {(o) => (
        <div className="space-y-6">
          <div className="grid gap-4 md:grid-cols-3" data-testid="admin-windows">
            {o.windows.map((w) => (
              <Card key={w.days} title={label[w.days]}>
                <KeyValueList
                  rows={[
                    ["Runs", formatNumber(w.runs)],
                    ["Success rate", pct(w.successRate)],
                    ["Error rate", pct(w.errorRate)],
                    ["Revenue", formatUsd(w.revenueMicros)],
                    ["Model cost", formatUsd(w.modelCostMicros)],
                    ["Gross margin", `${formatUsd(w.grossMarginMicros)} (${pct(w.grossMarginRate)})`],
                    ["Active workspaces", formatNumber(w.activeWorkspaces)],
                    ["p95 run duration", w.p95DurationMs === null ? "—" : formatDuration(w.p95DurationMs)],
                  ]}
                />
              </Card>
            ))}
          </div>
          <div className="grid gap-6 lg:grid-cols-2">
            <Card title="Revenue and model cost per day">
              <StackedDaily label="Revenue and model cost per day" money data={o.perDay.map((d) => ({ day: d.day, revenue: d.revenueMicros - d.modelCostMicros, cost: d.modelCostMicros }))} series={[{ key: "cost", label: "Model cost", color: seriesColor(4) }, { key: "revenue", label: "Margin", color: seriesColor(2) }]} />
            </Card>
            <Card title="Runs per day">
              <StackedDaily label="Runs per day" data={o.perDay.map((d) => ({ day: d.day, ok: d.runs - d.failed, failed: d.failed }))} series={[{ key: "ok", label: "Not failed", color: seriesColor(0) }, { key: "failed", label: "Failed", color: seriesColor(4) }]} />
            </Card>
            <Card title="Top agents" description="By revenue, 30 days.">
              <KeyValueList rows={o.topAgents.map((a) => [a.agent, `${formatUsd(a.revenueMicros)} · ${countOf(a.runs, "run")}`] as [string, string])} />
            </Card>
            <Card title="Top workspaces" description="By spend, 30 days.">
              <KeyValueList rows={o.topWorkspaces.map((w) => [w.slug, <Link key={w.id} href={`/admin/workspaces/${w.id}`} className="underline">{`${formatUsd(w.revenueMicros)} · ${countOf(w.runs, "run")}`}</Link>] as [string, React.ReactNode])} />
            </Card>
          </div>
        </div>
      )}
    </QueryStates>
  );
}
