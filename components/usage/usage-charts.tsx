"use client";

import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { formatNumber, formatUsd } from "@/components/ui/format";

// Recharts wrappers for the usage page: one stacked bar chart per question,
// days on the x axis, every series a stack.

export type DayRow = { day: string } & Record<string, number | string>;
export type Series = { key: string; label: string; color: string };

const PALETTE = ["#4f46e5", "#0891b2", "#16a34a", "#ca8a04", "#dc2626", "#9333ea", "#db2777", "#0d9488", "#ea580c", "#64748b"];
export const seriesColor = (i: number) => PALETTE[i % PALETTE.length]!;

const shortDay = (day: string) => new Date(`${day}T00:00:00Z`).toLocaleDateString("en", { month: "short", day: "numeric", timeZone: "UTC" });

export function StackedDaily({ data, series, money = false, label }: { data: DayRow[]; series: Series[]; money?: boolean; label: string }) {
  const format = (v: number) => (money ? formatUsd(v) : formatNumber(v));
  return (
    <figure aria-label={label} className="h-64 w-full text-xs">
      <ResponsiveContainer width="100%" height="100%">
        <BarChart data={data} margin={{ top: 4, right: 4, bottom: 0, left: 4 }}>
          <CartesianGrid strokeDasharray="3 3" vertical={false} stroke="#e2e8f0" />
          <XAxis dataKey="day" tickFormatter={shortDay} minTickGap={16} tick={{ fill: "#64748b" }} />
          <YAxis tickFormatter={(v: number) => (money ? formatUsd(v) : formatNumber(v))} allowDecimals={money} width={money ? 64 : 56} tick={{ fill: "#64748b" }} />
          <Tooltip labelFormatter={(d) => shortDay(String(d))} formatter={(v) => format(Number(v))} />
          <Legend wrapperStyle={{ fontSize: 12 }} />
          {series.map((s) => (
            <Bar key={s.key} dataKey={s.key} name={s.label} stackId="a" fill={s.color} isAnimationActive={false} />
          ))}
        </BarChart>
      </ResponsiveContainer>
    </figure>
  );
}
