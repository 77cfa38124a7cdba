import { describe, expect, it } from "vitest";
import { dataProcessor } from "@/lib/agents/data-processor/package";
import { packageJsonSchemas, toolSpecs, type AgentPackageDefinition, type ToolContext } from "@/lib/agents/define-package";
import { auditAgent } from "@/lib/agents/audit-agent/package";
import { deploymentAgent } from "@/lib/agents/deployment-agent/package";
import { reportGenerator } from "@/lib/agents/report-generator/package";
import { runOfflinePlan, type PlannedToolCall } from "@/lib/agents/run-offline-plan";
import { securityScanner } from "@/lib/agents/security-scanner/package";

// Pure tools ignore the context; the executor supplies a real one.
const ctx = { workspaceId: "ws_test", runId: "run_test", signal: new AbortController().signal, db: null } as unknown as ToolContext;

describe.each([securityScanner, dataProcessor, reportGenerator, deploymentAgent, auditAgent] as AgentPackageDefinition[])("package $slug", (pkg) => {
  it("exports its input, output and tool schemas as JSON Schema", () => {
    const { input, output } = packageJsonSchemas(pkg);
    expect(input.type).toBe("object");
    expect(Object.keys(input.properties as object).length).toBeGreaterThan(0);
    expect(output.type).toBe("object");
    for (const spec of toolSpecs(pkg)) {
      expect(spec.inputSchema.type).toBe("object");
      expect(spec.description.length).toBeGreaterThan(10);
    }
  });

  it("runs its offline plan on the example input to a schema-valid output", async () => {
    const calls: PlannedToolCall[] = [];
    const output = await runOfflinePlan(pkg as never, pkg.input.parse(pkg.exampleInput), ctx, (c) => calls.push(c));
    expect(calls.map((c) => c.tool)).toEqual(pkg.tools.map((t) => t.name));
    expect(pkg.output.safeParse(output).success).toBe(true);
  });
});

describe("offline results carry the tools' work", () => {
  it("Security Scanner reports the example's AWS key and SQL concatenation with file and line", async () => {
    const out = await runOfflinePlan(securityScanner, securityScanner.input.parse(securityScanner.exampleInput), ctx);
    expect(out.findings.map((f) => [f.rule, f.file, f.line])).toEqual([
      ["SECRET-AWS-ACCESS-KEY", "config/settings.py", 2],
      ["SQLI-CONCAT", "app/db.js", 2],
    ]);
    expect(out.counts).toEqual({ critical: 1, high: 1, medium: 0, low: 0 });
    expect(out.summary).toContain("2 finding(s)");
  });

  it("Data Processor applies the example's steps", async () => {
    const out = await runOfflinePlan(dataProcessor, dataProcessor.input.parse(dataProcessor.exampleInput), ctx);
    expect(out.csv).toBe("order_id,customer,region,amount,amount_with_vat\n1003,Initech,EU,310.25,372.3\n1001,Acme Corp,EU,120.50,144.6\n");
    expect(out.rowCounts).toEqual({ input: 4, output: 2 });
    expect(out.profile.find((p) => p.name === "amount")).toMatchObject({ type: "number" });
  });

  it("Data Processor without steps profiles and says the offline model needs steps", async () => {
    const out = await runOfflinePlan(dataProcessor, dataProcessor.input.parse({ csv: "a,b\n1,2\n", instructions: "sum a" }), ctx);
    expect(out.steps).toEqual([]);
    expect(out.notes).toMatch(/explicit steps only/);
  });
});

describe("package inputs", () => {
  it("name the failing field paths", () => {
    expect(securityScanner.input.safeParse({ files: [] }).error?.issues[0]?.path).toEqual(["files"]);
    expect(dataProcessor.input.safeParse({ csv: "a\n1" }).error?.issues[0]?.path).toEqual(["steps"]);
    expect(dataProcessor.input.safeParse({ csv: "a\n1", steps: [{ op: "explode" }] }).error?.issues[0]?.path).toEqual(["steps", 0, "op"]);
  });
});
