import { z } from "zod";
import { CsvError, type Table } from "../data-processor/csv";
import { toNumber } from "../data-processor/expression";
import { isNullish } from "../data-processor/profile-csv";
import { loadTable } from "./load-table";

// aggregate: group-by with sum / avg / min / max / count / median / percentiles.
// Percentiles interpolate linearly between closest ranks (NumPy's default), so
// p50 is the median and results can be checked by hand.

export const metricOps = ["count", "sum", "avg", "min", "max", "median", "p90", "p95", "p99"] as const;

export const aggregateInputSchema = z.object({
  data: z.string().min(1, "Give the data as CSV or JSON text."),
  groupBy: z.array(z.string().min(1)).max(5).default([]),
  metrics: z
    .array(z.object({ column: z.string().min(1), op: z.enum(metricOps) }))
    .min(1, "Ask for at least one metric.")
    .max(20),
});
export type AggregateInput = z.input<typeof aggregateInputSchema>;

export type AggregateResult = { columns: string[]; rows: Record<string, string | number | null>[]; groups: number; inputRows: number };

export const metricName = (m: { column: string; op: string }) => (m.op === "count" && m.column === "*" ? "count" : `${m.op}_${m.column}`);

export function percentile(sorted: number[], p: number): number | null {
  if (!sorted.length) return null;
  const rank = (p / 100) * (sorted.length - 1);
  const lo = Math.floor(rank);
  const hi = Math.ceil(rank);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (rank - lo);
}

const round = (n: number | null) => (n === null ? null : Math.round(n * 1e6) / 1e6);

function metricValue(op: (typeof metricOps)[number], values: string[]): number | null {
  if (op === "count") return values.filter((v) => !isNullish(v)).length;
  const nums = values.filter((v) => !isNullish(v)).map((v) => toNumber(v)).filter((n): n is number => n !== null);
  if (!nums.length) return null;
  switch (op) {
    case "sum":
      return round(nums.reduce((a, b) => a + b, 0));
    case "avg":
      return round(nums.reduce((a, b) => a + b, 0) / nums.length);
    case "min":
      return Math.min(...nums);
    case "max":
      return Math.max(...nums);
    default: {
      const sorted = [...nums].sort((a, b) => a - b);
      return round(percentile(sorted, op === "median" ? 50 : Number(op.slice(1))));
    }
  }
}

export function aggregateTable(table: Table, input: { groupBy: string[]; metrics: { column: string; op: (typeof metricOps)[number] }[] }): AggregateResult {
  const known = new Set(table.columns);
  const missing = [...input.groupBy, ...input.metrics.map((m) => m.column).filter((c) => c !== "*")].filter((c) => !known.has(c));
  if (missing.length) throw new CsvError(`Unknown column(s): ${[...new Set(missing)].join(", ")}. The data has: ${table.columns.join(", ")}.`);

  const groups = new Map<string, Record<string, string>[]>();
  for (const row of table.rows) {
    const key = JSON.stringify(input.groupBy.map((g) => row[g] ?? ""));
    (groups.get(key) ?? groups.set(key, []).get(key)!).push(row);
  }
  const rows = [...groups.entries()].map(([key, members]) => {
    const out: Record<string, string | number | null> = {};
    (JSON.parse(key) as string[]).forEach((v, i) => (out[input.groupBy[i]!] = v));
    for (const m of input.metrics) out[metricName(m)] = m.column === "*" ? members.length : metricValue(m.op, members.map((r) => r[m.column] ?? ""));
    return out;
  });
  return { columns: [...input.groupBy, ...input.metrics.map(metricName)], rows, groups: rows.length, inputRows: table.rows.length };
}

/** The aggregate tool. */
export function aggregate(input: z.output<typeof aggregateInputSchema>): AggregateResult {
  return aggregateTable(loadTable(input.data), input);
}
