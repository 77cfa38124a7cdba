import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { RunOutput } from "@/components/runs/run-output";
import type { ToolContext } from "@/lib/agents/define-package";
import { reportGenerator } from "@/lib/agents/report-generator/package";
import { runOfflinePlan } from "@/lib/agents/run-offline-plan";

const ctx = { workspaceId: "ws", runId: "run", signal: new AbortController().signal, db: null } as unknown as ToolContext;

/** The rendered output as a reader sees it: without the collapsed raw JSON. */
const shown = (output: unknown) => renderToStaticMarkup(<RunOutput output={output} />).split("<details")[0]!;
const count = (html: string, text: string) => html.split(text).length - 1;

describe("a report's output on the run page", () => {
  it("shows the Report Generator's title once, as a heading, and its markdown table as a table", async () => {
    const input = reportGenerator.input.parse(reportGenerator.exampleInput);
    const output = await runOfflinePlan(reportGenerator, input, ctx);
    const html = shown(output);
    expect(count(html, input.question)).toBe(1);
    expect(html).toContain(`<h3 class="text-base font-semibold text-slate-900">${input.question}</h3>`);
    expect(html).toContain("6 rows in 2 groups.");
    expect(html).toMatch(/<table[^>]*>.*<th[^>]*>region<\/th>.*<td[^>]*>US<\/td>/s);
    expect(html).not.toContain("| --- |");
  });

  it("drops a leading markdown heading that repeats the title (as a language model writes it), and keeps any other", () => {
    const html = shown({ title: "Revenue by region", report: "# **Revenue by Region**\n\nUS leads.", tables: [], charts: [] });
    expect(count(html, "Revenue by")).toBe(1);
    expect(html).toContain("<p>US leads.</p>");
    expect(shown({ title: "Revenue", report: "## Method\n\nSums." })).toContain("<h2>Method</h2>");
  });
});
