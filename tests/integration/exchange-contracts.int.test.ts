import { randomUUID } from "node:crypto";
import { describe, expect, it, vi } from "vitest";
import * as acceptRoute from "@/app/api/v1/work/[id]/accept/route";
import * as deliveriesRoute from "@/app/api/v1/work/[id]/deliveries/route";
import * as providerContractsRoute from "@/app/api/v1/provider/contracts/route";
import { getDb } from "@/lib/db/client";
import { sweepContracts } from "@/lib/exchange/contract-sweep";
import { AUTO_ACCEPT_MS, deliverOutput, redeliverByRun, startDeliveryRun } from "@/lib/exchange/delivery";
import { disputeWork } from "@/lib/exchange/disputes";
import { splitCharge } from "@/lib/exchange/escrow";
import { acceptWork } from "@/lib/exchange/settle";
import { earningsAccountId } from "@/lib/ledger/earnings";
import { balanceOf } from "@/lib/ledger/ledger";
import { EXAMPLE_MANIFEST } from "@/lib/packages/example-manifest";
import { computePackageStats, wilson } from "@/lib/packages/trust";
import { callRoute, sessionCookie } from "../helpers/call-route";
import { awardedWork } from "../helpers/exchange-contract";
import { createHostedPackage, createUser } from "../helpers/factories";
import { expectLedgerInvariantsAfterEach } from "../helpers/lifecycle";
import { createProvider, thirdPartyPackage } from "../helpers/market";
import { testExecutor } from "../helpers/run-harness";

// Contracts (issue 21 items 4–5): deliveries by hand and by a run of the bid's
// package, checked against the acceptance criteria; accept (settlement), a
// second failure or a missed deadline (refund, counted against trust), the
// 72-hour auto-accept, and accept racing dispute on the work's row lock.

const db = getDb();
expectLedgerInvariantsAfterEach();

const WALLET = 10_000_000n;
const wallet = (workspaceId: string) => balanceOf(db, `acct_ws_${workspaceId}`);
const status = async (workId: string) => (await db.work.findUniqueOrThrow({ where: { id: workId } })).status;
const good = { summary: "Every column profiled." };

describe("hand deliveries and acceptance", () => {
  it("refuses a hand delivery by anyone but the provider (403); the provider's passes; the buyer accepts and the contract settles exactly", async () => {
    const { buyer, seller, work, contract } = await awardedWork({ price: 1_234_567n, feeBps: 2_000 });
    const stranger = await createUser("stranger");
    await expect(deliverOutput(stranger.principal, work.id, good)).rejects.toMatchObject({ status: 403 });
    await expect(deliverOutput(buyer.principal, work.id, good)).rejects.toMatchObject({ status: 403 });
    const asStranger = { cookie: await sessionCookie(stranger.user.id, stranger.workspace.id) };
    const refused = await callRoute(deliveriesRoute.POST, { method: "POST", body: JSON.stringify({ output: good }), headers: asStranger, params: { id: work.id } });
    expect(refused.status).toBe(403);
    expect(refused.body!.error.message).toBe("Only the provider awarded this work can deliver it.");
    expect(await db.delivery.count({ where: { contractId: contract.id } })).toBe(0);

    const asSeller = { cookie: await sessionCookie(seller.owner.user.id, seller.owner.workspace.id) };
    const empty = await callRoute(deliveriesRoute.POST, { method: "POST", body: JSON.stringify({}), headers: asSeller, params: { id: work.id } });
    expect(empty.status).toBe(400);
    await expect(deliverOutput(seller.owner.principal, work.id, { summary: "x".repeat(300_000) })).rejects.toMatchObject({ status: 413 });
    expect(await db.delivery.count({ where: { contractId: contract.id } })).toBe(0);
    const delivered = await callRoute(deliveriesRoute.POST, { method: "POST", body: JSON.stringify({ output: good }), headers: asSeller, params: { id: work.id } });
    expect(delivered.status).toBe(201);
    expect(delivered.body).toMatchObject({ attempt: 1, verdict: "PASSED", runId: null, output: good });
    expect(await status(work.id)).toBe("DELIVERED");
    const passed = await db.contract.findUniqueOrThrow({ where: { id: contract.id } });
    expect(passed.autoAcceptAt!.getTime() - passed.passedAt!.getTime()).toBe(AUTO_ACCEPT_MS);

    const listed = await callRoute(providerContractsRoute.GET, { headers: asSeller });
    expect(listed.body!.data).toEqual([expect.objectContaining({ id: contract.id, work: { id: work.id, title: "Summarise", status: "DELIVERED" } })]);

    const asBuyer = { cookie: await sessionCookie(buyer.user.id, buyer.workspace.id), "idempotency-key": randomUUID() };
    const notTheirs = await callRoute(acceptRoute.POST, { method: "POST", headers: asSeller, params: { id: work.id } });
    expect(notTheirs.status).toBe(404);
    const accepted = await callRoute(acceptRoute.POST, { method: "POST", headers: asBuyer, params: { id: work.id } });
    expect(accepted.status).toBe(200);
    expect(accepted.body).toMatchObject({ status: "SETTLED", mine: true, contract: { priceMicros: 1_234_567, settledAt: expect.any(String) } });
    const replay = await callRoute(acceptRoute.POST, { method: "POST", headers: asBuyer, params: { id: work.id } });
    expect(replay).toMatchObject({ status: 200, body: { status: "SETTLED" } });
    expect((await callRoute(acceptRoute.POST, { method: "POST", headers: { cookie: asBuyer.cookie }, params: { id: work.id } })).status).toBe(409);

    const { shareMicros, feeMicros } = splitCharge(1_234_567n, 2_000);
    expect(await wallet(buyer.workspace.id)).toMatchObject({ postedMicros: WALLET - 1_234_567n, availableMicros: WALLET - 1_234_567n });
    expect(await balanceOf(db, earningsAccountId(seller.provider.id))).toMatchObject({ postedMicros: 0n, pendingCreditsMicros: shareMicros });
    expect(shareMicros + feeMicros).toBe(1_234_567n);
    const events = await db.workEvent.findMany({ where: { workId: work.id }, orderBy: { createdAt: "asc" }, select: { type: true } });
    expect(events.map((e) => e.type)).toEqual(["awarded", "delivered", "checked", "accepted", "settled"]);
  });

  it("a delivery failing its checks twice refunds the buyer in full and lowers the provider's trust", async () => {
    const seller = await createProvider("seller", { feeBps: 2_000 });
    await thirdPartyPackage(seller.provider.id, 10_000n); // a published package: the provider's trust is computed
    const kept = await awardedWork({ price: 2_000_000n, seller });
    await deliverOutput(seller.owner.principal, kept.work.id, good);
    await acceptWork(kept.buyer.principal, kept.work.id);
    await computePackageStats(db);
    const before = await db.providerStats.findUniqueOrThrow({ where: { providerId: seller.provider.id } });

    const { buyer, work } = await awardedWork({ price: 2_000_000n, seller });
    expect((await wallet(buyer.workspace.id)).availableMicros).toBe(WALLET - 2_000_000n);
    const first = await deliverOutput(seller.owner.principal, work.id, { summary: "no full stop" });
    expect(first).toMatchObject({ attempt: 1, verdict: "FAILED" });
    expect(first.checks.find((c) => !c.passed)!.message).toBe("/summary does not match the pattern.");
    expect(await status(work.id)).toBe("REDELIVERY");
    const second = await deliverOutput(seller.owner.principal, work.id, { rows: 3 });
    expect(second).toMatchObject({ attempt: 2, verdict: "FAILED" });
    expect(await status(work.id)).toBe("REFUNDED");
    expect(await wallet(buyer.workspace.id)).toMatchObject({ postedMicros: WALLET, availableMicros: WALLET, pendingDebitsMicros: 0n });
    await expect(deliverOutput(seller.owner.principal, work.id, good)).rejects.toMatchObject({ status: 409 });

    await computePackageStats(db);
    const after = await db.providerStats.findUniqueOrThrow({ where: { providerId: seller.provider.id } });
    expect(after.trustHigh).toBeLessThan(before.trustHigh);
    // Its voices: the first buyer's (a success: rate 1), then also the refunded buyer's (a failure: rate 0).
    expect(before).toMatchObject({ trustLow: wilson(1, 1).low, trustHigh: wilson(1, 1).high });
    expect(after.trustLow).toBeCloseTo(wilson(0.5, 2).low, 9);
    expect(after.trustHigh).toBeCloseTo(wilson(0.5, 2).high, 9);
  });

  it("refunds a work past its delivery deadline without a passing delivery (an explicit later time), once", async () => {
    const { buyer, seller, work, contract } = await awardedWork({ price: 700_000n, deliveryInMs: 3_600_000 });
    const deadline = contract.deliveryDeadline.getTime();
    expect(await sweepContracts(db, new Date(deadline - 60_000), { workIds: [work.id] })).toMatchObject({ refunded: 0 });
    await expect(deliverOutput(seller.owner.principal, work.id, good, { at: new Date(deadline + 1) })).rejects.toMatchObject({ status: 409, code: "conflict" });
    expect(await sweepContracts(db, new Date(deadline + 60_000), { workIds: [work.id] })).toEqual({ started: 0, checked: 0, refunded: 1, accepted: 0 });
    expect(await status(work.id)).toBe("REFUNDED");
    expect(await wallet(buyer.workspace.id)).toMatchObject({ postedMicros: WALLET, availableMicros: WALLET });
    expect(await sweepContracts(db, new Date(deadline + 120_000), { workIds: [work.id] })).toMatchObject({ refunded: 0 });
    const refunded = await db.workEvent.findFirstOrThrow({ where: { workId: work.id, type: "refunded" } });
    expect(refunded.data).toMatchObject({ reason: "missed_deadline" });
  });

  it("auto-accepts a passed delivery 72 hours after it passed, and closes the dispute window then", async () => {
    const { buyer, seller, work } = await awardedWork({ price: 900_000n });
    const passedAt = new Date(Date.now() + 60_000);
    await deliverOutput(seller.owner.principal, work.id, good, { at: passedAt });
    const due = passedAt.getTime() + AUTO_ACCEPT_MS;
    expect(await sweepContracts(db, new Date(due - 60_000), { workIds: [work.id] })).toMatchObject({ accepted: 0 });
    await expect(disputeWork(buyer.principal, work.id, "The summary is wrong about the visits column.", { at: new Date(due + 1) })).rejects.toMatchObject({ status: 409 });
    expect(await sweepContracts(db, new Date(due), { workIds: [work.id] })).toMatchObject({ accepted: 1 });
    expect(await status(work.id)).toBe("SETTLED");
    expect((await wallet(buyer.workspace.id)).postedMicros).toBe(WALLET - 900_000n);
    expect(await db.workEvent.count({ where: { workId: work.id, type: "auto_accepted" } })).toBe(1);
    expect(await sweepContracts(db, new Date(due + 60_000), { workIds: [work.id] })).toMatchObject({ accepted: 0 });
  });

  it("accept and dispute at the same moment: exactly one wins, the other gets 409", async () => {
    for (let i = 0; i < 3; i++) {
      const { buyer, seller, work } = await awardedWork({ price: 500_000n });
      await deliverOutput(seller.owner.principal, work.id, good);
      const [accepted, disputed] = await Promise.allSettled([acceptWork(buyer.principal, work.id), disputeWork(buyer.principal, work.id, "Half of the rows are missing.")]);
      const outcomes = [accepted.status, disputed.status].sort();
      expect(outcomes).toEqual(["fulfilled", "rejected"]);
      const loser = [accepted, disputed].find((r) => r.status === "rejected") as PromiseRejectedResult;
      expect(loser.reason).toMatchObject({ status: 409 });
      const final = await status(work.id);
      expect(final).toBe(accepted.status === "fulfilled" ? "SETTLED" : "DISPUTED");
      expect((await wallet(buyer.workspace.id)).postedMicros).toBe(final === "SETTLED" ? WALLET - 500_000n : WALLET);
    }
  });
});

describe("delivery runs", () => {
  const csv = "city,visits\nOslo,12\nLima,7\n";
  const executor = testExecutor();
  const ended = (runId: string) =>
    vi.waitFor(async () => expect(["SUCCEEDED", "FAILED", "CANCELED"]).toContain((await db.run.findUniqueOrThrow({ where: { id: runId } })).status), { timeout: 60_000, interval: 50 });

  /** A provider with a hosted package (the CSV summary example: its offline output is the CSV's rows and columns). */
  async function hostedSeller() {
    const seller = await createProvider("seller", { feeBps: 2_000 });
    const pkg = await createHostedPackage({ providerWorkspace: seller.owner.principal, manifest: { ...structuredClone(EXAMPLE_MANIFEST), slug: `deliver-${randomUUID().slice(0, 8)}` } });
    return { seller, pkg };
  }

  it("runs the bid's hosted package on the work's input in the buyer's workspace, checks its output, and never charges the run", async () => {
    const { seller, pkg } = await hostedSeller();
    const acceptance = { outputSchema: { type: "object", required: ["rows", "columns"] }, checks: [{ type: "range", path: "/rows", min: 2 }, { type: "citations", path: "/columns", min: 2 }] };
    const { buyer, work, contract } = await awardedWork({ price: 1_500_000n, seller, pkg, acceptance, input: { csv } });

    const delivery = await startDeliveryRun(db, contract.id, { executor });
    expect(delivery).toMatchObject({ attempt: 1, verdict: "PENDING" });
    const run = await db.run.findUniqueOrThrow({ where: { id: delivery!.runId! } });
    expect(run).toMatchObject({ workspaceId: buyer.workspace.id, userId: buyer.user.id, packageId: pkg.id });
    expect(await startDeliveryRun(db, contract.id, { executor })).toMatchObject({ id: delivery!.id }); // a repeat is the same delivery
    await ended(run.id);

    await sweepContracts(db, new Date(), { workIds: [work.id], executor });
    const checked = await db.delivery.findUniqueOrThrow({ where: { id: delivery!.id } });
    expect(checked.verdict).toBe("PASSED");
    expect(checked.output).toMatchObject({ rows: 2 });
    expect(await status(work.id)).toBe("DELIVERED");
    expect((await db.run.findUniqueOrThrow({ where: { id: run.id } })).priceMicros).toBe(0n);
    expect(await db.transfer.count({ where: { runId: run.id, reason: { in: ["run_charge", "provider_share", "platform_fee"] } } })).toBe(0);
    expect(await wallet(buyer.workspace.id)).toMatchObject({ postedMicros: WALLET, availableMicros: WALLET - 1_500_000n });

    await acceptWork(buyer.principal, work.id);
    expect(await wallet(buyer.workspace.id)).toMatchObject({ postedMicros: WALLET - 1_500_000n, availableMicros: WALLET - 1_500_000n });
  });

  it("a run failing the checks, then its redelivery run failing them too: a full refund, neither run charged", async () => {
    const { seller, pkg } = await hostedSeller();
    const acceptance = { outputSchema: { type: "object" }, checks: [{ type: "range", path: "/rows", min: 5 }] }; // the CSV has 2 rows
    const { buyer, work, contract } = await awardedWork({ price: 800_000n, seller, pkg, acceptance, input: { csv } });
    await expect(redeliverByRun(seller.owner.principal, work.id, { executor })).rejects.toMatchObject({ status: 409 }); // nothing failed yet

    const first = await startDeliveryRun(db, contract.id, { executor });
    await ended(first!.runId!);
    await sweepContracts(db, new Date(), { workIds: [work.id], executor });
    expect(await status(work.id)).toBe("REDELIVERY");
    expect((await db.delivery.findUniqueOrThrow({ where: { id: first!.id } })).checks).toEqual([
      expect.objectContaining({ name: "output schema", passed: true }),
      { name: "range /rows at least 5", passed: false, message: "/rows is 2; it should be at least 5." },
    ]);

    const stranger = await createUser("stranger");
    await expect(redeliverByRun(stranger.principal, work.id, { executor })).rejects.toMatchObject({ status: 403 });
    const second = await redeliverByRun(seller.owner.principal, work.id, { executor });
    expect(second).toMatchObject({ attempt: 2, verdict: "PENDING", runId: expect.any(String) });
    await ended(second.runId!);
    await sweepContracts(db, new Date(), { workIds: [work.id], executor });
    expect(await status(work.id)).toBe("REFUNDED");
    expect(await wallet(buyer.workspace.id)).toMatchObject({ postedMicros: WALLET, availableMicros: WALLET });
    const runs = await db.run.findMany({ where: { id: { in: [first!.runId!, second.runId!] } }, select: { priceMicros: true } });
    expect(runs.map((r) => r.priceMicros)).toEqual([0n, 0n]);
  });

  it("an evaluator check runs its package on the output, charged to the buyer, and passes at its threshold", async () => {
    const { seller, pkg } = await hostedSeller();
    const grader = await createProvider("grader");
    const graderSlug = `grader-${randomUUID().slice(0, 8)}`;
    const base = structuredClone(EXAMPLE_MANIFEST);
    await createHostedPackage({
      providerWorkspace: grader.owner.principal,
      manifest: { ...base, slug: graderSlug, inputSchema: { type: "object" }, outputSchema: { type: "object" }, exampleInput: {}, hosted: { ...base.hosted, offline: { calls: [], output: { quality: 0.9 } } } },
    });
    const acceptance = { outputSchema: { type: "object", required: ["rows"] }, checks: [{ type: "evaluator", package: graderSlug, threshold: 0.8, scorePath: "/quality" }] };
    const { buyer, work, contract } = await awardedWork({ price: 600_000n, seller, pkg, acceptance, input: { csv } });

    const delivery = await startDeliveryRun(db, contract.id, { executor });
    await ended(delivery!.runId!);
    await sweepContracts(db, new Date(), { workIds: [work.id], executor }); // the output checked, the evaluator started
    const waiting = await db.delivery.findUniqueOrThrow({ where: { id: delivery!.id } });
    expect(waiting.verdict).toBe("PENDING");
    const evaluatorRunId = (waiting.checks as { runId?: string }[])[1]!.runId!;
    const evaluatorRun = await db.run.findUniqueOrThrow({ where: { id: evaluatorRunId } });
    expect(evaluatorRun).toMatchObject({ workspaceId: buyer.workspace.id, agentSlug: graderSlug, input: { output: { rows: 2 } } });
    await ended(evaluatorRunId);
    await sweepContracts(db, new Date(), { workIds: [work.id], executor });
    const checked = await db.delivery.findUniqueOrThrow({ where: { id: delivery!.id } });
    expect(checked.verdict).toBe("PASSED");
    expect((checked.checks as { message: string }[])[1]!.message).toBe(`${graderSlug} scored the output 0.9, at least 0.8.`);
    expect(await status(work.id)).toBe("DELIVERED");
    const evaluatorPrice = BigInt(EXAMPLE_MANIFEST.baseFeeMicros); // the offline model costs nothing: the base fee
    expect((await db.run.findUniqueOrThrow({ where: { id: evaluatorRunId } })).priceMicros).toBe(evaluatorPrice);
    expect(await wallet(buyer.workspace.id)).toMatchObject({ postedMicros: WALLET - evaluatorPrice, availableMicros: WALLET - evaluatorPrice - 600_000n });
  });
});
