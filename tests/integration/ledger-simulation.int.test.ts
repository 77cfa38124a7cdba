import { randomUUID } from "node:crypto";
import { expect, it } from "vitest";
import { getDb } from "@/lib/db/client";
import { checkLedgerInvariants } from "@/lib/ledger/invariants";
import { balanceOf, hold, inLedgerTransaction, LedgerError, postHold, reverse, SYSTEM_ACCOUNTS, transfer, voidHold } from "@/lib/ledger/ledger";
import { createUser, setWallet } from "../helpers/factories";
import { prng } from "../helpers/prng";

// A seeded randomized simulation of the ledger, in the spirit of TigerBeetle's
// simulator: 8 concurrent clients draw random top-ups (some replayed with their
// idempotency key), grants, holds, posts (some for more than held), voids,
// resolutions of holds another client is resolving at the same moment, and
// refunds, round after round. After every round: the eight invariants, and
// every wallet's balances equal what the clients saw succeed. The operation
// sequence replays exactly from the seed (LEDGER_SEED=…); which of two racing
// operations wins is up to PostgreSQL, and the checks hold either way.

const SEED = Number(process.env.LEDGER_SEED ?? Math.floor(Math.random() * 2 ** 31));
const CLIENTS = 8;
const ROUNDS = Number(process.env.LEDGER_ROUNDS ?? 250);
const EXPECTED = new Set(["insufficient_funds", "hold_resolved", "amount_exceeds_hold", "already_reversed"]);

type Hold = { id: string; wallet: string; amount: bigint };

it(`ledger simulation (seed ${SEED}): ${CLIENTS} concurrent clients × ${ROUNDS} rounds keep every invariant`, { timeout: 300_000 }, async () => {
  const db = getDb();
  const wallets: string[] = [];
  for (let i = 0; i < 4; i++) {
    const { workspace } = await createUser(`sim${i}`);
    wallets.push(await setWallet(workspace.id, 0n));
  }
  // What the clients saw succeed, per wallet: posted and pending as the ledger must have them.
  const model = new Map(wallets.map((w) => [w, { posted: 0n, pending: 0n }]));
  const seen = new Set<string>(); // transfer ids already counted (idempotent replays return the same one)
  const openHolds: Hold[] = [];
  const topUps: { id: string; wallet: string; amount: bigint; key: string }[] = [];
  const clients = Array.from({ length: CLIENTS }, (_, i) => prng(SEED + i * 7919));
  const log: string[] = [];
  const counts: Record<string, number> = {};

  const count = (id: string, fn: () => void) => {
    if (seen.has(id)) return;
    seen.add(id);
    fn();
  };

  async function step(client: number, round: number): Promise<string> {
    const r = clients[client]!;
    const pick = <T,>(xs: T[]) => xs[Math.floor(r() * xs.length)];
    const wallet = pick(wallets)!;
    const amount = BigInt(1 + Math.floor(r() * 2_000_000));
    const roll = r();
    if (roll < 0.2) {
      const replay = topUps.length > 0 && r() < 0.3 ? pick(topUps)! : null;
      const key = replay?.key ?? `sim-${SEED}-${client}-${round}`;
      const params = replay ? { debit: SYSTEM_ACCOUNTS.stripeClearing, credit: replay.wallet, amount: replay.amount } : { debit: SYSTEM_ACCOUNTS.stripeClearing, credit: wallet, amount };
      const t = await inLedgerTransaction(db, (tx) => transfer(tx, { ...params, reason: "top_up", idempotencyKey: key }));
      count(t.id, () => {
        model.get(params.credit)!.posted += params.amount;
        topUps.push({ id: t.id, wallet: params.credit, amount: params.amount, key });
      });
      return replay ? "top_up_replay" : "top_up";
    }
    if (roll < 0.3) {
      const t = await db.$transaction((tx) => transfer(tx, { debit: SYSTEM_ACCOUNTS.promotions, credit: wallet, amount: amount / 4n + 1n, reason: "admin_grant", idempotencyKey: randomUUID() }));
      count(t.id, () => (model.get(wallet)!.posted += t.amountMicros));
      return "grant";
    }
    if (roll < 0.6) {
      const h = await db.$transaction((tx) => hold(tx, { debit: wallet, credit: SYSTEM_ACCOUNTS.revenue, amount, reason: "correction", idempotencyKey: randomUUID(), expiresAt: new Date(Date.now() + 3_600_000) }));
      count(h.id, () => {
        model.get(wallet)!.pending += amount;
        openHolds.push({ id: h.id, wallet, amount });
      });
      return "hold";
    }
    if (roll < 0.9 && openHolds.length) {
      const h = pick(openHolds)!; // possibly one another client resolves in this same round
      if (r() < 0.55) {
        const posted = r() < 0.1 ? h.amount + 1n : (h.amount * BigInt(Math.floor(r() * 101))) / 100n;
        const t = await db.$transaction((tx) => postHold(tx, h.id, posted));
        count(t.id, () => {
          const m = model.get(h.wallet)!;
          m.pending -= h.amount;
          m.posted -= posted;
          openHolds.splice(openHolds.indexOf(h), 1);
        });
        return "post";
      }
      const t = await db.$transaction((tx) => voidHold(tx, h.id));
      count(t.id, () => {
        model.get(h.wallet)!.pending -= h.amount;
        openHolds.splice(openHolds.indexOf(h), 1);
      });
      return "void";
    }
    if (topUps.length) {
      const t = pick(topUps)!;
      const rev = await db.$transaction((tx) => reverse(tx, t.id, "refund", randomUUID()));
      count(rev.id, () => (model.get(t.wallet)!.posted -= t.amount));
      return "refund";
    }
    return "idle";
  }

  try {
    for (let round = 0; round < ROUNDS; round++) {
      const outcomes = await Promise.all(
        Array.from({ length: CLIENTS }, (_, c) =>
          step(c, round).catch((err: unknown) => {
            if (err instanceof LedgerError && EXPECTED.has(err.code)) return `refused:${err.code}`;
            throw err;
          }),
        ),
      );
      for (const o of outcomes) counts[o] = (counts[o] ?? 0) + 1;
      log.push(`${round}: ${outcomes.join(" ")}`);
      expect(await checkLedgerInvariants(db)).toEqual([]);
      for (const w of wallets) {
        const b = await balanceOf(db, w);
        expect({ posted: b.postedMicros, pending: b.pendingDebitsMicros }).toEqual(model.get(w));
      }
    }
  } catch (err) {
    console.error(`Ledger simulation failed — replay with LEDGER_SEED=${SEED}\nlast rounds:\n${log.slice(-5).join("\n")}`);
    throw err;
  }
  // The simulation exercised every path, refusals included.
  for (const kind of ["top_up", "top_up_replay", "grant", "hold", "post", "void", "refund", "refused:insufficient_funds", "refused:hold_resolved", "refused:amount_exceeds_hold"]) {
    expect(counts[kind] ?? 0, kind).toBeGreaterThan(0);
  }
});
