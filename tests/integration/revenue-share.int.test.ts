import { beforeAll, describe, expect, it, vi } from "vitest";
import { getDb } from "@/lib/db/client";
import { earningsAccountId, matureEarnings } from "@/lib/ledger/earnings";
import { checkLedgerInvariants } from "@/lib/ledger/invariants";
import { hold, SYSTEM_ACCOUNTS, workspaceBalance } from "@/lib/ledger/ledger";
import { refundRun } from "@/lib/ledger/run-refund";
import { modelCostMicros } from "@/lib/llm/model-prices";
import { finishRun, type RunEnding } from "@/lib/runs/finish-run";
import * as clockRoute from "@/app/api/test/clock/route";
import { advanceClock, now } from "@/lib/time/clock";
import { callRoute, sessionCookie } from "../helpers/call-route";
import { createUser, setWallet } from "../helpers/factories";
import { createProvider, heldRun, MARKET_MODEL, thirdPartyPackage } from "../helpers/market";

// Issue 19: a third-party run's charge split in its finishing statement — the
// provider's share (pending, then matured by the clock), the platform's fee,
// the pass-through — and a refund taking each back on the run.

vi.hoisted(() => {
  process.env.AGORA_TEST_CLOCK = "1";
});

const db = getDb();
const usage = { inputTokens: 10_000, outputTokens: 2_000, cacheWriteTokens: 0, cacheReadTokens: 0 };
const BASE = 500_000n;
const EVENTS = 200_000n;
let costMicros: bigint;
let multiplierBps: number;

beforeAll(async () => {
  costMicros = modelCostMicros(await db.modelPrice.findUniqueOrThrow({ where: { model: MARKET_MODEL } }), usage);
  multiplierBps = (await db.tier.findUniqueOrThrow({ where: { code: "free" } })).priceMultiplierBps;
});

async function market(label: string, opts: { feeBps?: number; wallet?: bigint } = {}) {
  const { provider, owner } = await createProvider(`${label}-prov`, opts);
  const pkg = await thirdPartyPackage(provider.id, BASE);
  const consumer = await createUser(`${label}-cons`);
  await setWallet(consumer.workspace.id, opts.wallet ?? 100_000_000n);
  return { provider, owner, pkg, consumer };
}

const ending = (status: RunEnding["status"], events = EVENTS): RunEnding => ({ status, usage, billableEventsMicros: events, ...(status === "FAILED" ? { error: { code: "x", message: "failed", cause: "provider" as const } } : {}) });
const marked = () => (costMicros * BigInt(multiplierBps) + 5_000n) / 10_000n;
const split = (id: string) => db.run.findUniqueOrThrow({ where: { id }, select: { priceMicros: true, platformFeeBps: true, providerShareMicros: true, platformFeeMicros: true, passThroughMicros: true, finishedAt: true } });
const earnings = (providerId: string) => db.ledgerAccount.findUniqueOrThrow({ where: { id: earningsAccountId(providerId) } });
const expectHealthy = async () => expect(await checkLedgerInvariants(db)).toEqual([]);

describe("the revenue split in the finishing statement", () => {
  it("SUCCEEDED: base fee + events are the provider's gross, 20% of it the fee, the marked-up model cost passes through", async () => {
    const { provider, pkg, consumer } = await market("split-ok");
    const run = await heldRun(consumer.workspace.id, pkg, 10_000_000n);
    expect(await finishRun(db, run, ending("SUCCEEDED"), { from: ["RUNNING"] })).toBe(true);
    const r = await split(run.id);
    const gross = BASE + EVENTS;
    expect(r).toMatchObject({ priceMicros: gross + marked(), platformFeeBps: 2_000, platformFeeMicros: gross / 5n, providerShareMicros: gross - gross / 5n, passThroughMicros: marked() });
    const share = await db.transfer.findUniqueOrThrow({ where: { idempotencyKey: `run:${run.id}:share` } });
    expect(share).toMatchObject({ kind: "PENDING", reason: "provider_share", amountMicros: r.providerShareMicros, providerId: provider.id, expiresAt: null, creditAccountId: earningsAccountId(provider.id) });
    expect(share.maturesAt!.getTime() - r.finishedAt!.getTime()).toBe(7 * 86_400_000);
    expect(await db.transfer.findUniqueOrThrow({ where: { idempotencyKey: `run:${run.id}:fee` } })).toMatchObject({ kind: "POSTED", creditAccountId: SYSTEM_ACCOUNTS.platformFees, amountMicros: r.platformFeeMicros });
    expect(await earnings(provider.id)).toMatchObject({ postedMicros: 0n, pendingCreditsMicros: r.providerShareMicros });
    await expectHealthy();
  });

  it("CANCELED: only the events reported before the cancel are the provider's; FAILED: nothing is split", async () => {
    const { provider, pkg, consumer } = await market("split-cancel", { feeBps: 1_000 });
    const canceled = await heldRun(consumer.workspace.id, pkg, 10_000_000n);
    await finishRun(db, canceled, ending("CANCELED"), { from: ["RUNNING"] });
    expect(await split(canceled.id)).toMatchObject({ priceMicros: EVENTS + marked(), platformFeeBps: 1_000, platformFeeMicros: 20_000n, providerShareMicros: 180_000n, passThroughMicros: marked() });
    const failed = await heldRun(consumer.workspace.id, pkg, 10_000_000n);
    await finishRun(db, failed, ending("FAILED"), { from: ["RUNNING"] });
    expect(await split(failed.id)).toMatchObject({ priceMicros: 0n, platformFeeBps: 1_000, platformFeeMicros: 0n, providerShareMicros: 0n, passThroughMicros: 0n });
    expect(await db.transfer.count({ where: { runId: failed.id, reason: { in: ["provider_share", "platform_fee"] } } })).toBe(0);
    expect((await earnings(provider.id)).pendingCreditsMicros).toBe(180_000n);
    await expectHealthy();
  });

  it("a hold smaller than the price caps the charge, and the provider is paid first (no pass-through left)", async () => {
    const { pkg, consumer } = await market("split-cap");
    const run = await heldRun(consumer.workspace.id, pkg, 333_333n);
    await finishRun(db, run, ending("SUCCEEDED"), { from: ["RUNNING"] });
    const r = await split(run.id);
    expect(r.priceMicros).toBe(333_333n);
    expect(r.platformFeeMicros).toBe(66_667n); // 333 333 × 20% = 66 666.6, rounded half up
    expect(r.providerShareMicros + r.platformFeeMicros + r.passThroughMicros).toBe(333_333n);
    expect(r.passThroughMicros).toBe(0n);
    await expectHealthy();
  });

  it("50 concurrent runs of one provider on one wallet: no overspend, the shares add up exactly", async () => {
    const holdMicros = 2_000_000n;
    const { provider, pkg, consumer } = await market("split-50", { wallet: 40n * holdMicros });
    const placed = await Promise.allSettled(Array.from({ length: 50 }, () => heldRun(consumer.workspace.id, pkg, holdMicros)));
    const runs = placed.flatMap((p) => (p.status === "fulfilled" ? [p.value] : []));
    expect(runs).toHaveLength(40); // the wallet covers 40 holds; the rest are refused
    const ended = await Promise.all(runs.map((run, i) => finishRun(db, run, ending(i % 5 === 4 ? "CANCELED" : "SUCCEEDED"), { from: ["RUNNING"] })));
    expect(ended.every(Boolean)).toBe(true);
    const rows = await db.run.findMany({ where: { id: { in: runs.map((r) => r.id) } }, select: { priceMicros: true, providerShareMicros: true } });
    const charged = rows.reduce((a, r) => a + r.priceMicros, 0n);
    expect((await workspaceBalance(db, consumer.workspace.id)).availableMicros).toBe(40n * holdMicros - charged);
    const e = await earnings(provider.id);
    expect(e.pendingCreditsMicros + e.postedMicros).toBe(rows.reduce((a, r) => a + r.providerShareMicros, 0n)); // pending, or matured by a sweep meanwhile
    await expectHealthy();
  });
});

describe("maturation and refunds", () => {
  it("a share matures when the clock passes its maturity, and not before", async () => {
    const { provider, pkg, consumer } = await market("mature");
    const run = await heldRun(consumer.workspace.id, pkg, 10_000_000n);
    await finishRun(db, run, ending("SUCCEEDED"), { from: ["RUNNING"] });
    const { providerShareMicros } = await split(run.id);
    await matureEarnings(db, new Date(Date.now() + 6 * 86_400_000));
    expect((await earnings(provider.id)).postedMicros).toBe(0n);
    await advanceClock(db, 8 * 86_400_000);
    expect(await matureEarnings(db)).toBeGreaterThanOrEqual(1); // the sweep as the job runs it: "now" from the shared clock
    expect(await earnings(provider.id)).toMatchObject({ postedMicros: providerShareMicros, pendingCreditsMicros: 0n });
    await expectHealthy();
  });

  it("POST /api/test/clock (an admin, AGORA_TEST_CLOCK on) moves the shared clock forward; a bad body is a 400 naming advanceMs", async () => {
    const admin = await createUser("clock-admin");
    await db.user.update({ where: { id: admin.user.id }, data: { isAdmin: true } });
    const cookie = await sessionCookie(admin.user.id);
    const before = await now(db);
    const res = await callRoute(clockRoute.POST, { method: "POST", body: JSON.stringify({ advanceMs: 3_600_000 }), headers: { cookie } });
    expect(res.status).toBe(200);
    expect(new Date((res.body as unknown as { now: string }).now).getTime() - before.getTime()).toBeGreaterThanOrEqual(3_600_000);
    expect((await now(db)).getTime() - Date.now()).toBeGreaterThanOrEqual(3_600_000 - 1_000);
    const bad = await callRoute(clockRoute.POST, { method: "POST", body: JSON.stringify({ advanceMs: -5 }), headers: { cookie } });
    expect(bad.status).toBe(400);
    expect(bad.body?.error.details.issues[0]?.path).toBe("advanceMs");
  });

  it("a refund gives the charge back and takes the share back on the run: voided pending, reversed matured, clawed back when paid", async () => {
    const { provider, pkg, consumer } = await market("refund");
    const admin = await createUser("refund-admin");
    const runs = await Promise.all([0, 1, 2].map(() => heldRun(consumer.workspace.id, pkg, 10_000_000n)));
    for (const r of runs) await finishRun(db, r, ending("SUCCEEDED"), { from: ["RUNNING"] });
    const before = (await workspaceBalance(db, consumer.workspace.id)).availableMicros;
    const { priceMicros, providerShareMicros } = await split(runs[0]!.id);

    const pending = await refundRun(db, { runId: runs[0]!.id, actorUserId: admin.user.id, memo: "duplicate run" });
    expect(pending).toEqual({ refundedMicros: priceMicros, share: "voided" });
    expect((await workspaceBalance(db, consumer.workspace.id)).availableMicros).toBe(before + priceMicros);
    await expect(refundRun(db, { runId: runs[0]!.id, actorUserId: admin.user.id, memo: "again" })).rejects.toMatchObject({ code: "conflict" });

    await matureEarnings(db, new Date(Date.now() + 30 * 86_400_000)); // (every file's shares due by then: this file's only, payouts' mature at once)
    expect((await earnings(provider.id)).postedMicros).toBe(2n * providerShareMicros);
    expect((await refundRun(db, { runId: runs[1]!.id, actorUserId: admin.user.id, memo: "wrong output" })).share).toBe("reversed");
    expect((await earnings(provider.id)).postedMicros).toBe(providerShareMicros);

    // The rest is reserved for a payout: the third run's share is owed back, the earnings stay ≥ 0.
    await db.$transaction((tx) => hold(tx, { debit: earningsAccountId(provider.id), credit: SYSTEM_ACCOUNTS.stripeClearing, amount: providerShareMicros, reason: "payout", idempotencyKey: `payout:test:${provider.id}`, providerId: provider.id, expiresAt: null }));
    expect((await refundRun(db, { runId: runs[2]!.id, actorUserId: admin.user.id, memo: "abuse" })).share).toBe("clawback");
    expect(await db.shareClawback.findUniqueOrThrow({ where: { runId: runs[2]!.id } })).toMatchObject({ providerId: provider.id, amountMicros: providerShareMicros, recoveredAt: null });

    for (const r of runs) {
      const reasons = (await db.transfer.findMany({ where: { runId: r.id }, select: { reason: true } })).map((t) => t.reason);
      expect(reasons.filter((x) => x === "refund")).toHaveLength(2); // the charge back, and the fee back
    }
    expect(await db.auditLog.count({ where: { action: "admin.run.refunded", target: { in: runs.map((r) => r.id) } } })).toBe(3);
    await expectHealthy();
  });

  it("refusals: an unknown run is 404, a run charged nothing is 400", async () => {
    const { pkg, consumer } = await market("refund-bad");
    const admin = await createUser("refund-bad-admin");
    const failed = await heldRun(consumer.workspace.id, pkg, 1_000_000n);
    await finishRun(db, failed, ending("FAILED"), { from: ["RUNNING"] });
    await expect(refundRun(db, { runId: "nope", actorUserId: admin.user.id, memo: "x" })).rejects.toMatchObject({ code: "not_found" });
    await expect(refundRun(db, { runId: failed.id, actorUserId: admin.user.id, memo: "x" })).rejects.toMatchObject({ code: "bad_request" });
  });
});
