import { describe, expect, it, vi } from "vitest";
import { securityScanner } from "@/lib/agents/security-scanner/package";
import { getDb } from "@/lib/db/client";
import { ApiError } from "@/lib/http/errors";
import { quoteRun } from "@/lib/runs/money/quote";
import { balanceOf, SYSTEM_ACCOUNTS } from "@/lib/ledger/ledger";
import { modelCostMicros } from "@/lib/llm/model-prices";
import { acceptRun } from "@/lib/runs/accept-run";
import { cancelRun } from "@/lib/runs/cancel-run";
import { getRun } from "@/lib/runs/run-queries";
import { recoverOrphanedRuns } from "@/lib/runs/recover-runs";
import { createUser, setWallet } from "../helpers/factories";
import { loadRun, runToEnd, scannerAnswer, scannerInput, testExecutor, waitForStreamedText } from "../helpers/run-harness";
import { fakeAnthropicForFile, expectLedgerInvariantsAfterEach } from "../helpers/lifecycle";

// SPEC §3's charging policy, checked against the ledger: a hold at acceptance,
// then SUCCEEDED pays its price, FAILED pays nothing, CANCELED pays the tokens
// it used, a crashed run pays nothing; a replayed request never charges twice,
// and concurrent runs can never spend more than the wallet holds.

const db = getDb();
const fake = await fakeAnthropicForFile();
expectLedgerInvariantsAfterEach();

const START = 1_000_000n;
async function customer(label: string, funds = START, tier?: "enterprise") {
  const owner = await createUser(label, { tier });
  const wallet = await setWallet(owner.workspace.id, funds);
  return { ...owner, wallet, balance: () => balanceOf(db, wallet) };
}

const sonnet = async () => db.modelPrice.findUniqueOrThrow({ where: { model: "claude-sonnet-5-5" } });
const usage = { input: 1_000, output: 200 };
const FREE = 15_000n; // the Free tier's multiplier, in basis points
const marked = (cost: bigint) => (cost * FREE + 5_000n) / 10_000n;

describe("charging runs", () => {
  it("a succeeded run pays base fee + model cost × multiplier, exactly, and the model cost is booked", async () => {
    const c = await customer("charge-ok");
    fake.script({ kind: "message", blocks: [{ type: "text", text: scannerAnswer() }], usage });
    const { run } = await runToEnd(testExecutor({ anthropicUrl: fake.url }), c.principal, scannerInput);
    expect(run.status).toBe("SUCCEEDED");
    const cost = modelCostMicros(await sonnet(), { inputTokens: 1_000, outputTokens: 200, cacheWriteTokens: 0, cacheReadTokens: 0 });
    const price = securityScanner.baseFeeMicros + marked(cost);
    expect(run.providerCostMicros).toBe(cost);
    expect(run.priceMicros).toBe(price);
    expect(await c.balance()).toMatchObject({ postedMicros: START - price, pendingDebitsMicros: 0n });
    const transfers = await db.transfer.findMany({ where: { runId: run.id }, orderBy: { createdAt: "asc" } });
    expect(transfers.map((t) => [t.kind, t.reason, t.amountMicros])).toEqual([
      ["PENDING", "run_charge", expect.any(BigInt)],
      ["POSTED", "model_cost", cost],
      ["POST_PENDING", "run_charge", price],
    ]);
    expect(transfers[0]!.amountMicros).toBeGreaterThanOrEqual(price); // the hold covered it
    expect(transfers[1]!.creditAccountId).toBe(SYSTEM_ACCOUNTS.providerCost);
  });

  it("the run's price breakdown: each token class at list price, the cache saving, model cost, platform fee, total", async () => {
    const c = await customer("charge-breakdown");
    fake.script({ kind: "message", blocks: [{ type: "text", text: scannerAnswer() }], usage: { input: 1_000, output: 200, cacheRead: 50_000, cacheWrite: 4_000 } });
    const { run } = await runToEnd(testExecutor({ anthropicUrl: fake.url }), c.principal, scannerInput);
    const detail = await getRun(c.workspace.id, run.id);
    // Sonnet: $2 in, $10 out, $0.20 cache read, $2.50 cache write per million tokens.
    expect(detail.breakdown).toEqual({
      input: { tokens: 1_000, costMicros: 2_000 },
      output: { tokens: 200, costMicros: 2_000 },
      cacheRead: { tokens: 50_000, costMicros: 10_000 },
      cacheWrite: { tokens: 4_000, costMicros: 10_000 },
      cacheSavingMicros: 100_000 - 10_000, // the same tokens read as input would have cost $0.10
      modelCostMicros: 24_000,
      platformFeeMicros: Number(run.priceMicros) - 24_000,
      absorbedMicros: 0,
      priceMultiplierBps: 15_000,
      totalMicros: Number(run.priceMicros),
    });
    expect(run.priceMicros).toBe(securityScanner.baseFeeMicros + marked(24_000n));
    // A failed run: nothing charged, the model cost absorbed.
    fake.script({ kind: "message", blocks: [{ type: "text", text: "not json" }], usage });
    const failed = (await runToEnd(testExecutor({ anthropicUrl: fake.url }), c.principal, scannerInput)).run;
    expect((await getRun(c.workspace.id, failed.id)).breakdown).toMatchObject({ totalMicros: 0, platformFeeMicros: 0, absorbedMicros: Number(failed.providerCostMicros) });
  });

  it("failed runs pay nothing — provider error, timeout, invalid output — and the platform absorbs the model cost", async () => {
    const c = await customer("charge-failed");
    fake.script({ kind: "http_error", status: 400, type: "invalid_request_error" });
    expect((await runToEnd(testExecutor({ anthropicUrl: fake.url }), c.principal, scannerInput)).run).toMatchObject({ status: "FAILED", priceMicros: 0n });
    fake.script({ kind: "stall", blocks: [{ type: "text", text: "thinking" }] });
    expect((await runToEnd(testExecutor({ anthropicUrl: fake.url, timeoutMs: 300 }), c.principal, scannerInput)).run).toMatchObject({ status: "FAILED", errorCode: "timeout", priceMicros: 0n });
    fake.script({ kind: "message", blocks: [{ type: "text", text: "not json" }], usage });
    const invalid = (await runToEnd(testExecutor({ anthropicUrl: fake.url }), c.principal, scannerInput)).run;
    expect(invalid).toMatchObject({ status: "FAILED", errorCode: "invalid_output", priceMicros: 0n });
    expect(invalid.providerCostMicros).toBeGreaterThan(0n);
    expect(await c.balance()).toMatchObject({ postedMicros: START, pendingDebitsMicros: 0n });
    const resolutions = await db.transfer.findMany({ where: { workspaceId: c.workspace.id, reason: "run_charge", kind: { not: "PENDING" } } });
    expect(resolutions.map((t) => t.kind)).toEqual(["VOID_PENDING", "VOID_PENDING", "VOID_PENDING"]);
    expect(await db.transfer.count({ where: { runId: invalid.id, reason: "model_cost" } })).toBe(1);
  });

  it("a run canceled mid-stream pays for the tokens it used, × the multiplier, without the base fee", async () => {
    const c = await customer("charge-cancel");
    fake.script({ kind: "stall", blocks: [{ type: "text", text: "working" }] });
    const executor = testExecutor({ anthropicUrl: fake.url });
    const runId = (await acceptRun(c.principal, { agent: "security-scanner", input: scannerInput }, { executor })).run.id;
    await vi.waitFor(async () => expect((await loadRun(runId)).run.status).toBe("RUNNING"), { timeout: 10_000, interval: 20 });
    await waitForStreamedText(runId); // the stream is open
    await cancelRun(c.workspace.id, runId, executor);
    await executor.settled();
    const { run } = await loadRun(runId);
    expect(run.status).toBe("CANCELED");
    const cost = modelCostMicros(await sonnet(), { inputTokens: run.inputTokens, outputTokens: run.outputTokens, cacheWriteTokens: 0, cacheReadTokens: 0 });
    expect(cost).toBeGreaterThan(0n);
    expect(run.priceMicros).toBe(marked(cost));
    expect((await c.balance()).postedMicros).toBe(START - marked(cost));
  });

  it("a run whose job ran out of resumes ends interrupted (the dead-letter queue's part) and pays nothing", async () => {
    const c = await customer("charge-crash");
    const stalled = testExecutor({ works: false }); // accepts, never executes: as if every worker died
    const runId = (await acceptRun(c.principal, { agent: "security-scanner", input: scannerInput }, { executor: stalled })).run.id;
    expect((await c.balance()).pendingDebitsMicros).toBe(securityScanner.baseFeeMicros);
    await stalled.interrupt(runId);
    expect((await loadRun(runId)).run).toMatchObject({ status: "FAILED", errorCode: "interrupted", priceMicros: 0n });
    expect(await c.balance()).toMatchObject({ postedMicros: START, pendingDebitsMicros: 0n });
  });

  it("a run found without a live job (a database restored from a backup) is enqueued again and runs once", async () => {
    const c = await customer("charge-jobless");
    const stalled = testExecutor({ works: false }); // its job sits in queues nobody works
    const runId = (await acceptRun(c.principal, { agent: "security-scanner", input: scannerInput }, { executor: stalled })).run.id;
    const worker = testExecutor();
    const jobs = await worker.config.jobs();
    // An hour on, the run still has no job in the queues the workers serve.
    expect(await recoverOrphanedRuns(db, jobs, new Date(Date.now() + 3_600_000))).toContain(runId);
    await vi.waitFor(async () => expect((await loadRun(runId)).run.status).toBe("SUCCEEDED"), { timeout: 30_000, interval: 50 });
    expect(await recoverOrphanedRuns(db, jobs, new Date(Date.now() + 3_600_000))).not.toContain(runId);
    expect((await c.balance()).postedMicros).toBe(START - (await loadRun(runId)).run.priceMicros);
  });

  it("a child run left without its executor (its parent's worker died) is recovered as interrupted and pays nothing", async () => {
    const c = await customer("charge-orphan");
    const stalled = testExecutor({ works: false });
    const parent = (await acceptRun(c.principal, { agent: "security-scanner", input: scannerInput }, { executor: stalled })).run.id;
    const child = (await acceptRun(c.principal, { agent: "security-scanner", input: scannerInput }, { executor: stalled, parent: { id: parent, depth: 0 } })).run.id;
    const jobs = await stalled.config.jobs();
    expect(await recoverOrphanedRuns(db, jobs)).not.toContain(child); // just accepted: its parent may claim it yet
    expect(await recoverOrphanedRuns(db, jobs, new Date(Date.now() + 3_600_000))).toContain(child);
    expect((await loadRun(child)).run).toMatchObject({ status: "FAILED", errorCode: "interrupted", priceMicros: 0n });
  });

  it("the same idempotency key, sequentially or concurrently, holds and charges once", async () => {
    const c = await customer("charge-idem");
    const executor = testExecutor();
    const body = { agent: "security-scanner", input: scannerInput, idempotencyKey: "charge-once" };
    const runs = await Promise.all(Array.from({ length: 6 }, () => acceptRun(c.principal, body, { executor })));
    await acceptRun(c.principal, body, { executor });
    await executor.settled();
    expect(new Set(runs.map((r) => r.run.id)).size).toBe(1);
    expect(await db.transfer.count({ where: { workspaceId: c.workspace.id, reason: "run_charge", kind: "PENDING" } })).toBe(1);
    expect((await c.balance()).postedMicros).toBe(START - securityScanner.baseFeeMicros);
  });

  it("a wallet funded for exactly 10 runs: of 50 concurrent runs, 10 are accepted and 40 get 402 with the amounts", async () => {
    const c = await customer("charge-race", 10n * securityScanner.baseFeeMicros, "enterprise"); // offline: the hold is the base fee; room for 50 at once
    const executor = testExecutor();
    const outcomes = await Promise.all(
      Array.from({ length: 50 }, () =>
        acceptRun(c.principal, { agent: "security-scanner", input: scannerInput }, { executor }).then(
          () => "accepted",
          (e: unknown) => e,
        ),
      ),
    );
    await executor.settled();
    expect(outcomes.filter((o) => o === "accepted")).toHaveLength(10);
    const refused = outcomes.filter((o): o is ApiError => o instanceof ApiError);
    expect(refused).toHaveLength(40);
    expect(refused[0]).toMatchObject({ code: "insufficient_credits", status: 402, details: { neededMicros: 2_000, topUpUrl: "/billing" } });
    expect(await db.run.count({ where: { workspaceId: c.workspace.id } })).toBe(10); // a refused run leaves nothing behind
    expect(await c.balance()).toEqual({ postedMicros: 0n, pendingDebitsMicros: 0n, pendingCreditsMicros: 0n, availableMicros: 0n });
  });

  it("a quote: an estimate at first, then p50/p95 of recent runs; its maximum is exactly what a run holds", async () => {
    const c = await customer("quote");
    const executor = testExecutor({ anthropicUrl: fake.url });
    const body = { agent: "security-scanner", input: scannerInput };
    // Other test files run this package on the fake too: the first quote is an estimate only while fewer than 5 such runs exist.
    const earlier = await db.run.count({ where: { agentSlug: "security-scanner", status: "SUCCEEDED", provider: "anthropic" } });
    const first = await quoteRun(c.principal, body, executor);
    expect(first).toMatchObject({ provider: "anthropic", model: "claude-sonnet-5-5", baseFeeMicros: 2_000, availableMicros: 1_000_000 });
    expect(first.expected.basis).toBe(earlier >= 5 ? "recent_runs" : "estimate");
    if (first.expected.basis === "estimate") expect(first.expected.p50Micros).toBeLessThan(first.expected.p95Micros);
    expect(first.expected.p95Micros).toBeLessThanOrEqual(first.maxHoldMicros);

    // The hold a run places is the quote's maximum.
    const queued = testExecutor({ anthropicUrl: fake.url, works: false });
    const { run } = await acceptRun(c.principal, body, { executor: queued });
    const held = await db.transfer.findFirstOrThrow({ where: { runId: run.id, kind: "PENDING" } });
    expect(Number(held.amountMicros)).toBe(first.maxHoldMicros);
    await cancelRun(c.workspace.id, run.id, queued); // still queued: ends CANCELED at once, the hold released

    // Runs on this package version with known usage: the quote is their p50 and p95, at this tier.
    const costs: bigint[] = [];
    for (const [input, output] of [[1_000, 100], [2_000, 100], [3_000, 100], [4_000, 100], [20_000, 100]] as const) {
      fake.script({ kind: "message", blocks: [{ type: "text", text: scannerAnswer() }], usage: { input, output } });
      await runToEnd(executor, c.principal, scannerInput);
      costs.push(modelCostMicros(await sonnet(), { inputTokens: input, outputTokens: output, cacheWriteTokens: 0, cacheReadTokens: 0 }));
    }
    // Other test files may run this package on the fake at the same time: take a quote between two identical reads of the sample.
    const sample = async () =>
      (await db.run.findMany({ where: { agentSlug: "security-scanner", status: "SUCCEEDED", provider: "anthropic" }, select: { providerCostMicros: true }, orderBy: { createdAt: "desc" }, take: 200 }))
        .map((r) => Number(securityScanner.baseFeeMicros + marked(r.providerCostMicros)))
        .sort((a, b) => a - b);
    let second, prices;
    for (let attempt = 0; attempt < 5; attempt++) {
      const before = await sample();
      second = await quoteRun(c.principal, body, executor);
      prices = await sample();
      if (JSON.stringify(before) === JSON.stringify(prices)) break;
    }
    expect(second!.expected).toMatchObject({ basis: "recent_runs", sampleSize: prices!.length });
    expect(prices!.length).toBeGreaterThanOrEqual(5);
    expect(second!.expected.p50Micros).toBe(prices![Math.ceil(0.5 * prices!.length) - 1]);
    expect(second!.expected.p95Micros).toBe(prices![Math.ceil(0.95 * prices!.length) - 1]);
    // Our five runs are in it, priced at the Free tier.
    for (const cost of costs) expect(prices).toContain(Number(securityScanner.baseFeeMicros + marked(cost)));
  });

  it("a quote validates like a run and holds nothing", async () => {
    const c = await customer("quote-bad");
    await expect(quoteRun(c.principal, { agent: "security-scanner", input: { files: [] } }, testExecutor())).rejects.toMatchObject({ code: "validation_failed" });
    await expect(quoteRun(c.principal, { agent: "nope", input: {} }, testExecutor())).rejects.toMatchObject({ code: "not_found" });
    const offline = await quoteRun(c.principal, { agent: "security-scanner", input: scannerInput }, testExecutor());
    expect(offline).toMatchObject({ provider: "offline", maxHoldMicros: 2_000, expected: { p50Micros: 2_000, p95Micros: 2_000 }, sufficient: true });
    expect(await db.transfer.count({ where: { workspaceId: c.workspace.id, kind: "PENDING" } })).toBe(0);
  });

  it("a new workspace starts with the Free tier's included $1, granted once", async () => {
    const { workspace } = await createUser("charge-new");
    const grants = await db.transfer.findMany({ where: { workspaceId: workspace.id, reason: "included_credits" } });
    expect(grants.map((g) => g.amountMicros)).toEqual([1_000_000n]);
  });
});
