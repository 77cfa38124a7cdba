import { z } from "zod";
import { definePackage, defineTool } from "../define-package";
import { profileTable } from "../data-processor/profile-csv";
import { aggregate, aggregateInputSchema, type AggregateResult } from "./aggregate";
import { chartSpec, chartSpecInputSchema, chartSpecSchema, type ChartSpec } from "./chart-spec";
import { loadTable, tableProblem } from "./load-table";

const inputSchema = z.object({
  data: z.string().min(1, "Paste CSV or JSON data, or drop a file.").max(5_000_000),
  question: z.string().trim().min(1, "Ask a question about the data.").max(2_000),
  groupBy: z.array(z.string().min(1)).max(5).optional().describe("Columns to group by (the offline model uses them; Claude chooses its own)."),
});

const outputSchema = z.object({
  title: z.string(),
  report: z.string().describe("Markdown"),
  tables: z.array(z.object({ columns: z.array(z.string()), rows: z.array(z.record(z.string(), z.union([z.string(), z.number(), z.null()]))) })),
  charts: z.array(chartSpecSchema),
});

type Input = z.output<typeof inputSchema>;

/** The offline model's choice: group by the given columns, or the first low-cardinality text column; count, and sum and average up to three numeric columns. */
function offlineAggregation(input: Input) {
  try {
    const profile = profileTable(loadTable(input.data));
    // Numbers worth adding up: not identifiers (named *id, or distinct consecutive integers such as 1…n).
    const sequential = (c: (typeof profile.columns)[number]) => c.type === "integer" && c.distinct === profile.rows && c.max! - c.min! + 1 === profile.rows;
    const numeric = profile.columns.filter((c) => (c.type === "integer" || c.type === "number") && !/(^|_)id$/i.test(c.name) && !sequential(c)).slice(0, 3);
    const groupBy = input.groupBy ?? profile.columns.filter((c) => (c.type === "string" || c.type === "boolean") && c.distinct >= 2 && c.distinct <= 20).slice(0, 1).map((c) => c.name);
    return { groupBy, metrics: [{ column: "*", op: "count" as const }, ...numeric.flatMap((c) => [{ column: c.name, op: "sum" as const }, { column: c.name, op: "avg" as const }])] };
  } catch {
    return { groupBy: [], metrics: [{ column: "*", op: "count" as const }] }; // the tool reports what is wrong with the data
  }
}

const fmt = (v: string | number | null) => (v === null ? "—" : typeof v === "number" ? v.toLocaleString("en", { maximumFractionDigits: 2 }) : v);

export const reportGenerator = definePackage({
  slug: "report-generator",
  name: "Report Generator",
  summary: "Answers questions about CSV or JSON data with exact aggregations, a markdown report and charts.",
  description: [
    "Give it data (CSV with a header row, or a JSON array of objects) and a question.",
    "",
    "- `aggregate` groups rows and computes count, sum, avg, min, max, median and p90/p95/p99 — exactly, in code.",
    "- `chart_spec` turns aggregated rows into bar, line or pie charts, drawn on the run page.",
    "",
    "You get a markdown report with the figures, the tables behind them and the charts.",
  ].join("\n"),
  category: "analytics",
  capabilities: ["reporting", "aggregation", "charts", "csv", "json"],
  version: "1.0.0",
  model: "claude-sonnet-5-5",
  maxOutputTokens: 8_192,
  baseFeeMicros: 3_000n,
  input: inputSchema,
  output: outputSchema,
  exampleInput: {
    data: "month,region,revenue,orders\n2026-07,EU,12000,140\n2026-07,US,18500,210\n2026-08,EU,13400,151\n2026-08,US,17900,198\n2026-09,EU,15100,166\n2026-09,US,19800,224\n",
    question: "How does revenue compare between regions, and how is it trending?",
    groupBy: ["region"],
  },
  systemPrompt:
    "You are a data analyst. Use aggregate to compute every figure you report (never compute numbers yourself), then chart_spec for one or two charts that answer the question. Write a concise markdown report citing the figures.",
  tools: [
    defineTool({ name: "aggregate", description: "Group rows and compute count/sum/avg/min/max/median/p90/p95/p99 of columns. Use column '*' with op 'count' to count rows.", input: aggregateInputSchema, handler: aggregate }),
    defineTool({ name: "chart_spec", description: "Build a bar, line or pie chart from rows (e.g. aggregate's output).", input: chartSpecInputSchema, handler: chartSpec }),
  ],
  inputProblem: (input) => tableProblem(input.data),
  offline: {
    plan: (input) => [{ tool: "aggregate", input: { data: input.data, ...offlineAggregation(input) } }],
    then: (input, results) => {
      const agg = results.aggregate as AggregateResult;
      const x = agg.columns[0];
      const y = agg.columns.find((c) => c.startsWith("sum_")) ?? "count";
      if (!x || x === y || agg.rows.length < 2) return [];
      return [{ tool: "chart_spec", input: { type: "bar", title: `${y.replace(/_/g, " ")} by ${x}`, x, y: [y], rows: agg.rows } }];
    },
    compose: (input, results) => {
      const agg = results.aggregate as AggregateResult;
      const chart = results.chart_spec as ChartSpec | undefined;
      // The question is the title, shown above the report: not repeated in it.
      const lines = [`${agg.inputRows} ${agg.inputRows === 1 ? "row" : "rows"}${agg.columns.length && agg.groups > 1 ? ` in ${agg.groups} groups` : ""}.`, ""];
      lines.push(`| ${agg.columns.join(" | ")} |`, `| ${agg.columns.map(() => "---").join(" | ")} |`);
      for (const row of agg.rows.slice(0, 50)) lines.push(`| ${agg.columns.map((c) => fmt(row[c] ?? null)).join(" | ")} |`);
      const sumColumn = agg.columns.find((c) => c.startsWith("sum_"));
      const key = agg.columns[0];
      if (sumColumn && key && key !== "count" && agg.rows.length > 1) {
        const sorted = [...agg.rows].sort((a, b) => Number(b[sumColumn] ?? 0) - Number(a[sumColumn] ?? 0));
        lines.push("", `Highest ${sumColumn.replace(/^sum_/, "")}: **${sorted[0]![key]}** (${fmt(sorted[0]![sumColumn] ?? null)}); lowest: **${sorted.at(-1)![key]}** (${fmt(sorted.at(-1)![sumColumn] ?? null)}).`);
      }
      lines.push("", "_Offline model: the figures are exact; interpreting the question needs a language model._");
      return { title: input.question, report: lines.join("\n"), tables: [{ columns: agg.columns, rows: agg.rows }], charts: chart ? [chart] : [] };
    },
  },
});

