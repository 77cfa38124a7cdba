import { beforeAll, describe, expect, it } from "vitest";
import { createUser } from "../helpers/factories";
import { runToEnd, testExecutor } from "../helpers/run-harness";

// Issue 14: a 900 KB Data Processor input failed with internal_error. The
// executor cut every tool result at 200,000 characters of JSON, and the offline
// model parses the results back, so the transformed CSV arrived as broken JSON.

let principal: Awaited<ReturnType<typeof createUser>>["principal"];
beforeAll(async () => {
  ({ principal } = await createUser("data-processor-large", { tier: "enterprise" }));
});

describe("Data Processor with a large input (offline model)", () => {
  it("transforms a 900 KB CSV end to end", { timeout: 60_000 }, async () => {
    const rows = Array.from({ length: 22_000 }, (_, i) => `${i},Customer number ${i} Ltd,${i % 2 ? "EU" : "US"},${(i * 1.25).toFixed(2)}`);
    const csv = `order_id,customer,region,amount\n${rows.join("\n")}\n`;
    expect(csv.length).toBeGreaterThan(900_000);
    const { run } = await runToEnd(testExecutor({ timeoutMs: 50_000 }), principal, { csv, steps: [{ op: "filter", where: "region = 'EU'" }] }, "data-processor");
    expect([run.errorCode, run.errorMessage]).toEqual([null, null]);
    expect(run.status).toBe("SUCCEEDED");
    const output = run.output as { csv: string; rowCounts: { input: number; output: number } };
    expect(output.rowCounts).toEqual({ input: 22_000, output: 11_000 });
    expect(output.csv).toContain("21999,Customer number 21999 Ltd,EU,27498.75");
  });
});
