import { describe, expect, it } from "vitest";
import { reportGenerator } from "@/lib/agents/report-generator/package";
import { getDb } from "@/lib/db/client";
import { balanceOf } from "@/lib/ledger/ledger";
import { createUser, setWallet } from "../helpers/factories";
import { expectLedgerInvariantsAfterEach, fakeAnthropicForFile } from "../helpers/lifecycle";
import { runToEnd, testExecutor } from "../helpers/run-harness";

// A Report Generator run whose input holds no rows of data fails as the
// consumer's input error (SPEC "Failure attribution": consumer_input), before any
// model call, and costs nothing; data with rows is still reported on and charged.

const db = getDb();
const fake = await fakeAnthropicForFile();
expectLedgerInvariantsAfterEach();

const START = 1_000_000n;
async function customer(label: string) {
  const owner = await createUser(label, { tier: "enterprise" });
  const wallet = await setWallet(owner.workspace.id, START);
  return { ...owner, balance: () => balanceOf(db, wallet) };
}

const garbage = {
  "a line of nonsense": "asdf qwerty zxcv",
  "a header with nothing under it": "month,region,revenue",
  "an empty JSON array": "[]",
  "rows of blanks": "a,b\n,\nn/a,null",
  "JSON that does not parse": "[{not json",
};

describe("Report Generator with no usable data", () => {
  it.each(Object.entries(garbage))("%s: FAILED as consumer input, charged nothing, the wallet untouched", async (_, data) => {
    const c = await customer("report-garbage");
    const { run, types } = await runToEnd(testExecutor(), c.principal, { data, question: "What is the total?" }, "report-generator");
    expect(run.status).toBe("FAILED");
    expect(run.errorCode).toBe("consumer_input");
    expect(run.errorMessage).toMatch(/^The input has no rows of data to report on: .+\. Give CSV with a header row/);
    expect(run.priceMicros).toBe(0n);
    expect(run.toolCalls).toBe(0);
    expect(types).not.toContain("tool_call");
    expect(await c.balance()).toMatchObject({ postedMicros: START, pendingDebitsMicros: 0n, availableMicros: START });
  });

  it("says what it found: the header line that has no rows under it", async () => {
    const c = await customer("report-header-only");
    const { run } = await runToEnd(testExecutor(), c.principal, { data: garbage["a header with nothing under it"], question: "Sum?" }, "report-generator");
    expect(run.errorMessage).toContain("header line (month, region, revenue) with nothing under it");
  });

  it("with Claude configured, the model is never called for garbage", async () => {
    const c = await customer("report-garbage-claude");
    const before = fake.requests.length;
    const { run } = await runToEnd(testExecutor({ anthropicUrl: fake.url }), c.principal, { data: "hello world", question: "Trend?" }, "report-generator");
    expect(run).toMatchObject({ status: "FAILED", errorCode: "consumer_input", priceMicros: 0n, inputTokens: 0, outputTokens: 0 });
    expect(fake.requests.length).toBe(before);
    expect(await c.balance()).toMatchObject({ postedMicros: START, pendingDebitsMicros: 0n });
  });

  it("data with rows still succeeds and is charged its price", async () => {
    const c = await customer("report-good");
    const { run } = await runToEnd(testExecutor(), c.principal, reportGenerator.exampleInput, "report-generator");
    expect(run.status).toBe("SUCCEEDED");
    expect(run.priceMicros).toBeGreaterThanOrEqual(reportGenerator.baseFeeMicros);
    expect(await c.balance()).toMatchObject({ postedMicros: START - run.priceMicros, pendingDebitsMicros: 0n });
  });
});
