import { describe, expect, it } from "vitest";
import type { ToolContext } from "@/lib/agents/define-package";
import { aggregate, aggregateInputSchema, percentile } from "@/lib/agents/report-generator/aggregate";
import { chartSpec } from "@/lib/agents/report-generator/chart-spec";
import { loadTable } from "@/lib/agents/report-generator/load-table";
import { reportGenerator } from "@/lib/agents/report-generator/package";
import { runOfflinePlan } from "@/lib/agents/run-offline-plan";

const ctx = { workspaceId: "ws", runId: "run", signal: new AbortController().signal, db: null } as unknown as ToolContext;
const sales = [
  "order,region,amount,items",
  "1,EU,100,1",
  "2,EU,250.5,3",
  "3,US,80,1",
  "4,US,,2",
  "5,US,420,5",
  "6,APAC,60,1",
].join("\n");
const agg = (groupBy: string[], metrics: { column: string; op: string }[], data = sales) => aggregate(aggregateInputSchema.parse({ data, groupBy, metrics }));

describe("aggregate", () => {
  it("matches hand-computed sums, averages, counts, min and max per group", () => {
    const out = agg(["region"], [{ column: "*", op: "count" }, { column: "amount", op: "sum" }, { column: "amount", op: "avg" }, { column: "amount", op: "count" }, { column: "items", op: "max" }, { column: "amount", op: "min" }]);
    expect(out.columns).toEqual(["region", "count", "sum_amount", "avg_amount", "count_amount", "max_items", "min_amount"]);
    expect(out.rows).toEqual([
      { region: "EU", count: 2, sum_amount: 350.5, avg_amount: 175.25, count_amount: 2, max_items: 3, min_amount: 100 },
      { region: "US", count: 3, sum_amount: 500, avg_amount: 250, count_amount: 2, max_items: 5, min_amount: 80 }, // the empty amount is skipped, not zero
      { region: "APAC", count: 1, sum_amount: 60, avg_amount: 60, count_amount: 1, max_items: 1, min_amount: 60 },
    ]);
    expect(out.inputRows).toBe(6);
  });

  it("computes medians and percentiles by linear interpolation", () => {
    const values = "v\n" + Array.from({ length: 11 }, (_, i) => i * 10).join("\n"); // 0, 10, …, 100
    const out = agg([], [{ column: "v", op: "median" }, { column: "v", op: "p90" }, { column: "v", op: "p95" }, { column: "v", op: "p99" }], values);
    expect(out.rows).toEqual([{ median_v: 50, p90_v: 90, p95_v: 95, p99_v: 99 }]);
    expect(percentile([1, 2, 3, 4], 50)).toBe(2.5);
    expect(percentile([15, 20, 35, 40, 50], 90)).toBe(46); // rank 3.6: 40 + 0.6 × 10
    expect(percentile([], 50)).toBeNull();
  });

  it("reads JSON rows as well as CSV", () => {
    const json = JSON.stringify([{ team: "a", n: 2 }, { team: "b", n: 5 }, { team: "a", n: 4, extra: true }]);
    expect(agg(["team"], [{ column: "n", op: "sum" }], json).rows).toEqual([{ team: "a", sum_n: 6 }, { team: "b", sum_n: 5 }]);
    expect(loadTable(JSON.stringify({ rows: [{ a: 1 }] })).columns).toEqual(["a"]);
  });

  it("names the problem with bad data", () => {
    expect(() => agg(["nope"], [{ column: "amount", op: "sum" }])).toThrow(/Unknown column\(s\): nope/);
    expect(() => agg([], [{ column: "*", op: "count" }], "[{broken")).toThrow(/does not parse/);
    expect(() => agg([], [{ column: "*", op: "count" }], "[1, 2]")).toThrow(/array of objects/);
    expect(() => agg([], [{ column: "*", op: "count" }], "a,b\n\u0000\u0001,2")).toThrow(/binary/);
    expect(() => agg([], [{ column: "*", op: "count" }], "   ")).toThrow(/empty/);
    expect(aggregateInputSchema.safeParse({ data: "a\n1", metrics: [] }).success).toBe(false);
  });
});

describe("chart_spec", () => {
  it("builds series from rows and refuses non-numeric values", () => {
    const rows = [{ region: "EU", sum_amount: 350.5 }, { region: "US", sum_amount: 500 }];
    expect(chartSpec({ type: "bar", title: "Revenue", x: "region", y: ["sum_amount"], rows })).toEqual({
      type: "bar",
      title: "Revenue",
      x: "region",
      series: [{ name: "sum_amount", points: [{ x: "EU", y: 350.5 }, { x: "US", y: 500 }] }],
    });
    expect(() => chartSpec({ type: "bar", title: "t", x: "region", y: ["region"], rows })).toThrow(/not a number/);
    expect(() => chartSpec({ type: "pie", title: "t", x: "region", y: ["a", "b"], rows })).toThrow(/one series/);
  });
});

describe("Report Generator offline", () => {
  it("aggregates, charts and reports the exact figures", async () => {
    const out = await runOfflinePlan(reportGenerator, reportGenerator.input.parse({ data: sales, question: "Revenue by region?" }), ctx);
    expect(out.tables[0]!.rows).toContainEqual(expect.objectContaining({ region: "US", sum_amount: 500 }));
    expect(out.charts[0]!.series[0]!.points).toContainEqual({ x: "EU", y: 350.5 });
    expect(out.report).toContain("| region |");
    expect(out.report).toContain("Highest amount: **US** (500)");
  });
});
