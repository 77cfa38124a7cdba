import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { getDb } from "@/lib/db/client";
import { checkLedgerInvariants } from "@/lib/ledger/invariants";
import { balanceOf, expireHolds, hold, inLedgerTransaction, LedgerError, postHold, reverse, SYSTEM_ACCOUNTS, transfer, voidHold } from "@/lib/ledger/ledger";
import { createUser, setWallet } from "../helpers/factories";
import { expectLedgerInvariantsAfterEach } from "../helpers/lifecycle";

// lib/ledger against the real PostgreSQL: every operation, its refusals, and the
// invariants after each test; then the race the ledger exists to win.

const db = getDb();
const { revenue, stripeClearing } = SYSTEM_ACCOUNTS;
const later = () => new Date(Date.now() + 3_600_000);

async function fundedWallet(micros: bigint) {
  const { workspace } = await createUser("ledger");
  const wallet = await setWallet(workspace.id, micros);
  return { wallet, workspaceId: workspace.id };
}

const available = async (id: string) => (await balanceOf(db, id)).availableMicros;
const codeOf = (p: Promise<unknown>) => p.then(() => "ok", (e: unknown) => (e instanceof LedgerError ? e.code : String(e)));

expectLedgerInvariantsAfterEach();

describe("ledger", () => {
  it("a transfer moves money between accounts; the wallet cannot be overdrawn", async () => {
    const { wallet, workspaceId } = await fundedWallet(5_000_000n);
    expect(await balanceOf(db, wallet)).toEqual({ postedMicros: 5_000_000n, pendingDebitsMicros: 0n, pendingCreditsMicros: 0n, availableMicros: 5_000_000n });
    await db.$transaction((tx) => transfer(tx, { debit: wallet, credit: revenue, amount: 2_000_000n, reason: "correction", idempotencyKey: randomUUID(), workspaceId }));
    expect(await available(wallet)).toBe(3_000_000n);
    const err = await db.$transaction((tx) => transfer(tx, { debit: wallet, credit: revenue, amount: 3_000_001n, reason: "correction", idempotencyKey: randomUUID() })).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: "insufficient_funds", neededMicros: 3_000_001n, availableMicros: 3_000_000n });
    expect(await available(wallet)).toBe(3_000_000n); // nothing moved
    expect(await codeOf(db.$transaction((tx) => transfer(tx, { debit: wallet, credit: revenue, amount: 0n, reason: "correction", idempotencyKey: randomUUID() })))).toBe("invalid_amount");
  });

  it("an idempotency key makes a transfer happen once; the same key for something else is refused", async () => {
    const { wallet } = await fundedWallet(0n);
    const topUp = { debit: stripeClearing, credit: wallet, amount: 10_000_000n, reason: "top_up" as const, idempotencyKey: `topup-${wallet}` };
    const first = await inLedgerTransaction(db, (tx) => transfer(tx, topUp));
    const again = await inLedgerTransaction(db, (tx) => transfer(tx, topUp));
    expect(again.id).toBe(first.id);
    expect(await available(wallet)).toBe(10_000_000n);
    expect(await codeOf(inLedgerTransaction(db, (tx) => transfer(tx, { ...topUp, amount: 20_000_000n })))).toBe("idempotency_conflict");
    // Concurrent duplicates: one transfer.
    const key = `race-${wallet}`;
    const results = await Promise.all(Array.from({ length: 8 }, () => inLedgerTransaction(db, (tx) => transfer(tx, { ...topUp, idempotencyKey: key }))));
    expect(new Set(results.map((r) => r.id)).size).toBe(1);
    expect(await available(wallet)).toBe(20_000_000n);
  });

  it("a payment reference credits once, even from concurrent requests with different keys", async () => {
    const { wallet } = await fundedWallet(0n);
    const pay = (i: number) => codeOf(db.$transaction((tx) => transfer(tx, { debit: stripeClearing, credit: wallet, amount: 5_000_000n, reason: "top_up", idempotencyKey: `pi-${wallet}-${i}`, externalRef: `pi_${wallet}` })));
    const outcomes = await Promise.all([1, 2, 3, 4].map(pay));
    expect(outcomes.sort()).toEqual(["duplicate_payment", "duplicate_payment", "duplicate_payment", "ok"]);
    expect(await pay(5)).toBe("duplicate_payment");
    expect(await available(wallet)).toBe(5_000_000n);
  });

  it("a hold reserves funds; posting moves at most the held amount and releases the rest; it resolves once", async () => {
    const { wallet } = await fundedWallet(1_000_000n);
    const h = await db.$transaction((tx) => hold(tx, { debit: wallet, credit: revenue, amount: 600_000n, reason: "correction", idempotencyKey: randomUUID(), expiresAt: later() }));
    expect(await balanceOf(db, wallet)).toMatchObject({ postedMicros: 1_000_000n, pendingDebitsMicros: 600_000n, availableMicros: 400_000n });
    expect(await codeOf(db.$transaction((tx) => hold(tx, { debit: wallet, credit: revenue, amount: 400_001n, reason: "correction", idempotencyKey: randomUUID(), expiresAt: later() })))).toBe("insufficient_funds");
    expect(await codeOf(db.$transaction((tx) => postHold(tx, h.id, 600_001n)))).toBe("amount_exceeds_hold");
    await db.$transaction((tx) => postHold(tx, h.id, 250_000n));
    expect(await balanceOf(db, wallet)).toMatchObject({ postedMicros: 750_000n, pendingDebitsMicros: 0n, availableMicros: 750_000n });
    expect(await codeOf(db.$transaction((tx) => postHold(tx, h.id, 1n)))).toBe("hold_resolved");
    expect(await codeOf(db.$transaction((tx) => voidHold(tx, h.id)))).toBe("hold_resolved");
  });

  it("a voided hold moves nothing; two concurrent resolutions of one hold: exactly one wins", async () => {
    const { wallet } = await fundedWallet(1_000_000n);
    const h = await db.$transaction((tx) => hold(tx, { debit: wallet, credit: revenue, amount: 1_000_000n, reason: "correction", idempotencyKey: randomUUID(), expiresAt: later() }));
    const outcomes = await Promise.all([codeOf(db.$transaction((tx) => postHold(tx, h.id, 1_000_000n))), codeOf(db.$transaction((tx) => voidHold(tx, h.id)))]);
    expect(outcomes.sort()).toEqual(["hold_resolved", "ok"]);
    const resolution = await db.transfer.findUniqueOrThrow({ where: { pendingId: h.id } });
    expect(await available(wallet)).toBe(resolution.kind === "POST_PENDING" ? 0n : 1_000_000n);
  });

  it("holds past their expiry are released by the sweep", async () => {
    const { wallet } = await fundedWallet(500_000n);
    const h = await db.$transaction((tx) => hold(tx, { debit: wallet, credit: revenue, amount: 500_000n, reason: "correction", idempotencyKey: randomUUID(), expiresAt: new Date(Date.now() - 1_000) }));
    expect(await available(wallet)).toBe(0n);
    expect(await expireHolds(db)).toBeGreaterThanOrEqual(1);
    expect(await available(wallet)).toBe(500_000n);
    expect((await db.transfer.findUniqueOrThrow({ where: { pendingId: h.id } })).kind).toBe("EXPIRE_PENDING");
  });

  it("corrections are reversing transfers, once; transfers themselves cannot be changed or deleted", async () => {
    const { wallet, workspaceId } = await fundedWallet(0n);
    const t = await db.$transaction((tx) => transfer(tx, { debit: stripeClearing, credit: wallet, amount: 3_000_000n, reason: "top_up", idempotencyKey: randomUUID(), workspaceId }));
    await db.$transaction((tx) => reverse(tx, t.id, "refund", randomUUID()));
    expect(await available(wallet)).toBe(0n);
    expect(await codeOf(db.$transaction((tx) => reverse(tx, t.id, "refund", randomUUID())))).toBe("already_reversed");
    await expect(db.$executeRaw`UPDATE "Transfer" SET "amountMicros" = 1 WHERE "id" = ${t.id}`).rejects.toThrow(/immutable/);
    await expect(db.$executeRaw`DELETE FROM "Transfer" WHERE "id" = ${t.id}`).rejects.toThrow(/immutable/);
    // A refund of money already spent is refused, not overdrawn.
    const t2 = await db.$transaction((tx) => transfer(tx, { debit: stripeClearing, credit: wallet, amount: 1_000_000n, reason: "top_up", idempotencyKey: randomUUID() }));
    await db.$transaction((tx) => transfer(tx, { debit: wallet, credit: revenue, amount: 600_000n, reason: "correction", idempotencyKey: randomUUID() }));
    expect(await codeOf(db.$transaction((tx) => reverse(tx, t2.id, "refund", randomUUID())))).toBe("insufficient_funds");
  });

  it("the database refuses an overdraft even past the ledger code (the CHECK is the backstop)", async () => {
    const { wallet } = await fundedWallet(100n);
    await expect(db.$executeRaw`UPDATE "LedgerAccount" SET "postedMicros" = -1 WHERE "id" = ${wallet}`).rejects.toThrow(/not_overdrawn/);
  });

  it("the invariant check catches a tampered balance, a negative wallet and a disabled trigger (inside a rolled-back transaction)", async () => {
    const { wallet } = await fundedWallet(1_000n);
    class Rollback extends Error {}
    const seen = await db
      .$transaction(async (tx) => {
        await tx.$executeRaw`ALTER TABLE "LedgerAccount" DROP CONSTRAINT "LedgerAccount_not_overdrawn"`;
        await tx.$executeRaw`UPDATE "LedgerAccount" SET "postedMicros" = -5 WHERE "id" = ${wallet}`;
        await tx.$executeRaw`ALTER TABLE "Transfer" DISABLE TRIGGER agora_transfer_immutable`;
        const violations = await checkLedgerInvariants(tx);
        throw Object.assign(new Rollback(), { violations });
      })
      .catch((e: { violations?: { invariant: number }[] }) => e.violations ?? []);
    expect(new Set(seen.map((v) => v.invariant))).toEqual(new Set([1, 2, 3, 6]));
  });

  it("50 concurrent holds on a wallet funded for exactly 10: 10 succeed, 40 are refused, nothing is overdrawn", async () => {
    const { wallet } = await fundedWallet(10n * 70_000n);
    const outcomes = await Promise.all(
      Array.from({ length: 50 }, () => codeOf(db.$transaction((tx) => hold(tx, { debit: wallet, credit: revenue, amount: 70_000n, reason: "correction", idempotencyKey: randomUUID(), expiresAt: later() })))),
    );
    expect(outcomes.filter((o) => o === "ok")).toHaveLength(10);
    expect(outcomes.filter((o) => o === "insufficient_funds")).toHaveLength(40);
    expect(await balanceOf(db, wallet)).toMatchObject({ pendingDebitsMicros: 700_000n, availableMicros: 0n });
  });
});
