import { z } from "zod";

// chart_spec: a validated, renderer-neutral chart the run page draws as SVG.
// Points come from rows (e.g. aggregate's output); non-numeric values are refused.

export const chartTypes = ["bar", "line", "pie"] as const;

const rowSchema = z.record(z.string(), z.union([z.string(), z.number(), z.null()]));

export const chartSpecInputSchema = z.object({
  type: z.enum(chartTypes),
  title: z.string().min(1).max(200),
  x: z.string().min(1),
  y: z.array(z.string().min(1)).min(1).max(6),
  rows: z.array(rowSchema).min(1, "A chart needs at least one row.").max(500),
});

export const chartSpecSchema = z.object({
  type: z.enum(chartTypes),
  title: z.string(),
  x: z.string(),
  series: z.array(z.object({ name: z.string(), points: z.array(z.object({ x: z.string(), y: z.number() })) })),
});
export type ChartSpec = z.infer<typeof chartSpecSchema>;

export function chartSpec(input: z.output<typeof chartSpecInputSchema>): ChartSpec {
  if (input.type === "pie" && input.y.length > 1) throw new Error("A pie chart shows one series; give one y column.");
  const series = input.y.map((name) => ({
    name,
    points: input.rows.map((row, i) => {
      if (!(input.x in row)) throw new Error(`Row ${i + 1} has no '${input.x}' column.`);
      const y = row[name];
      const n = typeof y === "number" ? y : y === null || y === undefined ? NaN : Number(y);
      if (!Number.isFinite(n)) throw new Error(`Row ${i + 1}: '${name}' is not a number (${JSON.stringify(y ?? null)}).`);
      return { x: String(row[input.x] ?? ""), y: n };
    }),
  }));
  if (input.type === "pie" && series[0]!.points.some((p) => p.y < 0)) throw new Error("A pie chart cannot show negative values.");
  return { type: input.type, title: input.title, x: input.x, series };
}
