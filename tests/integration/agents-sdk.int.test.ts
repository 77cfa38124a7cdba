import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditAgent } from "@/lib/agents/audit-agent/package";
import { deploymentAgent } from "@/lib/agents/deployment-agent/package";
import { reportGenerator } from "@/lib/agents/report-generator/package";
import { startFakeAnthropic, type FakeAnthropic } from "../fakes/anthropic-server";
import { createUser } from "../helpers/factories";
import { runToEnd, testExecutor } from "../helpers/run-harness";

// Each agent through the real SDK, the fake Anthropic scripted to use its tools,
// and through the offline model; both outputs validate against the package's schema.

let fake: FakeAnthropic;
let principal: Awaited<ReturnType<typeof createUser>>["principal"];
beforeAll(async () => {
  fake = await startFakeAnthropic();
  ({ principal } = await createUser("agents"));
});
afterAll(() => fake.close());

const toolResults = (events: { type: string; data: unknown }[]) =>
  Object.fromEntries(events.filter((e) => e.type === "tool_result").map((e) => [(e.data as { name: string }).name, (e.data as { result: unknown }).result]));

describe("Report Generator", () => {
  const input = reportGenerator.exampleInput;

  it("runs aggregate then chart_spec as the model asks, and validates the report", async () => {
    const rows = [{ region: "EU", sum_revenue: 40500 }, { region: "US", sum_revenue: 56200 }];
    fake.script(
      { kind: "message", blocks: [{ type: "tool_use", name: "aggregate", input: { data: input.data, groupBy: ["region"], metrics: [{ column: "revenue", op: "sum" }, { column: "revenue", op: "p90" }] } }] },
      { kind: "message", blocks: [{ type: "tool_use", name: "chart_spec", input: { type: "bar", title: "Revenue by region", x: "region", y: ["sum_revenue"], rows } }] },
      { kind: "message", blocks: [{ type: "text", text: JSON.stringify({ title: "Revenue", report: "US leads.", tables: [{ columns: ["region", "sum_revenue"], rows }], charts: [{ type: "bar", title: "Revenue by region", x: "region", series: [{ name: "sum_revenue", points: [{ x: "EU", y: 40500 }, { x: "US", y: 56200 }] }] }] }) }] },
    );
    const { run, events } = await runToEnd(testExecutor({ anthropicUrl: fake.url }), principal, input, "report-generator");
    expect(run.status).toBe("SUCCEEDED");
    const results = toolResults(events) as { aggregate: { rows: Record<string, number | string>[] }; chart_spec: { series: { points: unknown[] }[] } };
    // Sums: EU 12000 + 13400 + 15100, US 18500 + 17900 + 19800. p90 at rank 0.9 × 2 = 1.8 of the sorted
    // values: EU 13400 + 0.8 × (15100 − 13400) = 14760, US 18500 + 0.8 × (19800 − 18500) = 19540.
    expect(results.aggregate.rows).toEqual([
      { region: "EU", sum_revenue: 40500, p90_revenue: 14760 },
      { region: "US", sum_revenue: 56200, p90_revenue: 19540 },
    ]);
    expect(results.chart_spec.series[0]!.points).toHaveLength(2);
  });

  it("offline: the output validates and carries the tools' figures", async () => {
    const { run } = await runToEnd(testExecutor(), principal, input, "report-generator");
    expect(run.status).toBe("SUCCEEDED");
    const output = reportGenerator.output.parse(run.output);
    expect(output.tables[0]!.rows).toContainEqual(expect.objectContaining({ region: "US", sum_revenue: 56200 }));
    expect(output.charts[0]!.series[0]!.points).toEqual([{ x: "EU", y: 40500 }, { x: "US", y: 56200 }]);
  });

  it("bad data ends the run as the consumer's input error, not a crash", async () => {
    const { run } = await runToEnd(testExecutor(), principal, { data: "[{not json", question: "anything?" }, "report-generator");
    expect(run.status).toBe("FAILED");
    expect(run.errorCode).toBe("consumer_input");
    expect(run.errorMessage).toMatch(/does not parse/);
  });
});

describe("Deployment Agent", () => {
  const input = deploymentAgent.exampleInput;

  it("runs lint_manifest as the model asks and validates the verdict", async () => {
    fake.script(
      { kind: "message", blocks: [{ type: "text", text: "Linting." }, { type: "tool_use", name: "lint_manifest", input }] },
      { kind: "message", blocks: [{ type: "text", text: JSON.stringify({ verdict: "no-go", summary: "Secret in env.", findings: [], rolloutPlan: ["Fix it."] }) }] },
    );
    const { run, events } = await runToEnd(testExecutor({ anthropicUrl: fake.url }), principal, input, "deployment-agent");
    expect(run.status).toBe("SUCCEEDED");
    const lint = toolResults(events).lint_manifest as { findings: { rule: string; line: number }[] };
    expect(lint.findings).toContainEqual(expect.objectContaining({ rule: "SECRET-IN-ENV", line: 14 }));
  });

  it("offline: no-go with the tool's findings", async () => {
    const { run } = await runToEnd(testExecutor(), principal, input, "deployment-agent");
    const output = deploymentAgent.output.parse(run.output);
    expect(output.verdict).toBe("no-go");
    expect(output.findings.some((f) => f.rule === "PRIVILEGED")).toBe(false);
    expect(output.findings.some((f) => f.rule === "IMAGE-MUTABLE-TAG" && f.path.endsWith("containers[0].image"))).toBe(true);
  });

  it("malformed YAML ends the run with a clear tool error", async () => {
    const { run } = await runToEnd(testExecutor(), principal, { manifest: "kind: Deployment\n  spec: [oops", environment: "staging" }, "deployment-agent");
    expect(run.status).toBe("FAILED");
    expect(run.errorMessage).toMatch(/lint_manifest tool failed: The YAML does not parse/);
  });
});

describe("Audit Agent", () => {
  const input = auditAgent.exampleInput;

  it("runs check_controls as the model asks", async () => {
    fake.script(
      { kind: "message", blocks: [{ type: "tool_use", name: "check_controls", input: { events: input.events, controls: ["mfa-admin-signin"] } }] },
      { kind: "message", blocks: [{ type: "text", text: JSON.stringify({ score: 0, summary: "MFA missing.", controls: [{ id: "mfa-admin-signin", title: "Admins sign in with MFA", status: "fail", findings: [] }] }) }] },
    );
    const { run, events } = await runToEnd(testExecutor({ anthropicUrl: fake.url }), principal, input, "audit-agent");
    expect(run.status).toBe("SUCCEEDED");
    const result = toolResults(events).check_controls as { controls: { id: string; status: string; findings: { line: number }[] }[] };
    expect(result.controls).toEqual([expect.objectContaining({ id: "mfa-admin-signin", status: "fail", findings: [expect.objectContaining({ line: 2 })] })]);
  });

  it("offline: the output validates and carries the control results", async () => {
    const { run } = await runToEnd(testExecutor(), principal, input, "audit-agent");
    const output = auditAgent.output.parse(run.output);
    expect(output.controls.find((c) => c.id === "key-rotation")!.findings[0]!.detail).toMatch(/key_legacy was used 247 days/);
  });

  it("a malformed line ends the run with a clear tool error", async () => {
    const { run } = await runToEnd(testExecutor(), principal, { events: '{"time":"2026-11-02T10:00:00Z","actor":"a","action":"x"}\nnot json' }, "audit-agent");
    expect(run.status).toBe("FAILED");
    expect(run.errorMessage).toMatch(/Line 2 is not valid JSON/);
  });
});
