import { describe, expect, it } from "vitest";
import { getDb } from "@/lib/db/client";
import { contractTerms, holdBudget, refundEscrow, settleContract, shrinkToContract, splitCharge } from "@/lib/exchange/escrow";
import { lockWork, moveWork, withWork } from "@/lib/exchange/transition";
import { earningsAccountId } from "@/lib/ledger/earnings";
import { balanceOf, SYSTEM_ACCOUNTS } from "@/lib/ledger/ledger";
import { setWallet } from "../helpers/factories";
import { expectLedgerInvariantsAfterEach } from "../helpers/lifecycle";
import { createProvider, thirdPartyPackage } from "../helpers/market";

// The exchange's money foundations (issue 21): the budget held at posting (402 when
// the wallet cannot cover it), shrunk to the contract's price at an award, posted
// and split at acceptance (share maturing, fee at once), partly or fully refunded —
// and the state machine refusing moves it does not allow, with 409.

const db = getDb();
expectLedgerInvariantsAfterEach();

async function postedWork(budget: bigint, wallet = 10_000_000n) {
  const { owner: buyer } = await createProvider("buyer"); // any workspace; a provider's is as good as another
  await setWallet(buyer.workspace.id, wallet);
  const hour = 3_600_000;
  return db.$transaction(async (tx) => {
    const work = await tx.work.create({
      data: { workspaceId: buyer.workspace.id, title: "t", description: "", input: {}, acceptance: { outputSchema: { type: "object" } }, budgetMicros: budget, bidDeadline: new Date(Date.now() + hour), deliveryDeadline: new Date(Date.now() + 2 * hour) },
    });
    await holdBudget(tx, work);
    return { buyer, work: await tx.work.findUniqueOrThrow({ where: { id: work.id } }) };
  });
}

async function awarded(price: bigint, feeBps = 2_000) {
  const { buyer, work } = await postedWork(5_000_000n);
  const { provider } = await createProvider("seller", { feeBps });
  const pkg = await thirdPartyPackage(provider.id, 10_000n);
  const bid = await db.bid.create({ data: { workId: work.id, providerId: provider.id, packageId: pkg.id, packageSlug: pkg.slug, priceMicros: price, promisedMinutes: 30 } });
  const contract = await db.$transaction(async (tx) => {
    const w = await lockWork(tx, work.id);
    const c = await tx.contract.create({ data: { workId: w.id, bidId: bid.id, providerId: provider.id, packageId: pkg.id, priceMicros: price, feeBps, deliveryDeadline: w.deliveryDeadline } });
    await shrinkToContract(tx, w, c);
    await moveWork(tx, w, "AWARDED", { type: "awarded", action: "awarded" });
    return c;
  });
  return { buyer, provider, work: await db.work.findUniqueOrThrow({ where: { id: work.id } }), contract };
}

const wallet = (workspaceId: string) => balanceOf(db, `acct_ws_${workspaceId}`);

describe("exchange escrow", () => {
  it("posting holds the budget; a wallet that cannot cover it gets 402", async () => {
    const { buyer } = await postedWork(3_000_000n);
    expect(await wallet(buyer.workspace.id)).toMatchObject({ postedMicros: 10_000_000n, availableMicros: 7_000_000n });
    await expect(postedWork(3_000_000n, 2_000_000n)).rejects.toMatchObject({ code: "insufficient_credits", status: 402 });
  });

  it("an award shrinks the hold to the price; acceptance charges it and pays the provider its share (maturing) and the fee", async () => {
    const { buyer, provider, work, contract } = await awarded(1_234_567n);
    expect((await wallet(buyer.workspace.id)).availableMicros).toBe(10_000_000n - 1_234_567n);
    const terms = await contractTerms(provider.id);
    const settled = await db.$transaction(async (tx) => settleContract(tx, await lockWork(tx, work.id), contract, terms, { at: new Date() }));
    await db.contract.update({ where: { id: contract.id }, data: { settledAt: new Date() } });
    const { shareMicros, feeMicros } = splitCharge(1_234_567n, 2_000);
    expect(feeMicros).toBe(246_913n); // 20 %, rounded half up
    expect(settled).toEqual({ chargedMicros: 1_234_567n, shareMicros: 1_234_567n - 246_913n, feeMicros, refundMicros: 0n });
    expect(await wallet(buyer.workspace.id)).toMatchObject({ postedMicros: 10_000_000n - 1_234_567n, availableMicros: 10_000_000n - 1_234_567n });
    expect(await balanceOf(db, earningsAccountId(provider.id))).toMatchObject({ postedMicros: 0n, pendingCreditsMicros: shareMicros });
    const fee = await db.transfer.findUniqueOrThrow({ where: { idempotencyKey: `contract:${contract.id}:fee` } });
    expect(fee).toMatchObject({ creditAccountId: SYSTEM_ACCOUNTS.platformFees, amountMicros: feeMicros, contractId: contract.id });
  });

  it("a partial refund charges the rest and splits only that; a full refund charges nothing", async () => {
    const partial = await awarded(2_000_000n);
    const s = await db.$transaction(async (tx) => settleContract(tx, await lockWork(tx, partial.work.id), partial.contract, await contractTerms(partial.provider.id), { refundMicros: 500_000n, at: new Date(), memo: "half the rows missing" }));
    await db.contract.update({ where: { id: partial.contract.id }, data: { settledAt: new Date() } });
    expect(s).toEqual({ chargedMicros: 1_500_000n, shareMicros: 1_200_000n, feeMicros: 300_000n, refundMicros: 500_000n });
    expect((await wallet(partial.buyer.workspace.id)).postedMicros).toBe(8_500_000n);
    const full = await awarded(2_000_000n);
    await db.$transaction(async (tx) => refundEscrow(tx, await lockWork(tx, full.work.id)));
    expect(await wallet(full.buyer.workspace.id)).toMatchObject({ postedMicros: 10_000_000n, availableMicros: 10_000_000n });
  });

  it("refuses a move the state machine does not allow with 409, and a retried move under its key is a replay", async () => {
    const { work } = await postedWork(1_000_000n);
    const key = `cancel-${work.id}`;
    const cancel = () => withWork(db, { workId: work.id, idempotencyKey: key }, async (tx, w) => {
      await refundEscrow(tx, w);
      await moveWork(tx, w, "CANCELED", { type: "canceled", action: "canceled", idempotencyKey: key });
    });
    expect((await cancel()).replayed).toBe(false);
    const again = await cancel();
    expect(again).toMatchObject({ replayed: true, work: { status: "CANCELED" } });
    await expect(withWork(db, { workId: work.id }, (tx, w) => moveWork(tx, w, "AWARDED", { type: "awarded", action: "awarded" }))).rejects.toMatchObject({ code: "conflict", status: 409 });
    expect(await db.workEvent.count({ where: { workId: work.id } })).toBe(1);
  });
});
