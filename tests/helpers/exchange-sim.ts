import { expect } from "vitest";
import type { Db } from "@/lib/db/client";
import { splitCharge } from "@/lib/exchange/escrow";
import { HELD_WORK_STATUSES } from "@/lib/exchange/states";
import { Prisma, type BidStatus, type WorkStatus } from "@/lib/generated/prisma/client";

// The exchange simulation's model (tests/integration/exchange-simulation.int.test.ts):
// what every work, bid and contract should be after the operations that succeeded,
// and what every wallet, earnings account and the platform's fees should hold — kept
// by hand from the rules of issue 21, never read back from the code under test — and
// the one query that compares it with the database after every step.

export type MBid = { id: string; workId: string; provider: number; price: bigint; status: BidStatus };
export type MContract = { id: string; bidId: string; provider: number; price: bigint; feeBps: number; deadline: number; attempts: number; passedAt: number | null };
export type MWork = {
  id: string;
  buyer: number;
  budget: bigint;
  status: WorkStatus;
  bidDeadline: number;
  deliveryDeadline: number;
  autoAward: boolean;
  /** Providers invited (indexes), or null for a public work. */
  invited: number[] | null;
  bids: MBid[];
  contract: MContract | null;
  /** What the work's escrow hold should be now (0 once resolved). */
  hold: bigint;
};
type Share = { provider: number; amount: bigint; maturesAt: number };
type Account = { posted: bigint; pending: bigint };

export const HOUR = 3_600_000;
export const ACCEPT_WINDOW_MS = 72 * HOUR;
const held = (s: WorkStatus) => HELD_WORK_STATUSES.includes(s);

export class ExchangeModel {
  readonly works = new Map<string, MWork>();
  readonly wallets: Account[];
  readonly earnings: Account[];
  feesMicros = 0n;
  readonly shares: Share[] = [];

  constructor(
    readonly granted: bigint[],
    nProviders: number,
  ) {
    this.wallets = granted.map((g) => ({ posted: g, pending: 0n }));
    this.earnings = Array.from({ length: nProviders }, () => ({ posted: 0n, pending: 0n }));
  }

  available = (buyer: number) => this.wallets[buyer]!.posted - this.wallets[buyer]!.pending;
  list = (pred: (w: MWork) => boolean) => [...this.works.values()].filter(pred);

  posted(w: Omit<MWork, "status" | "bids" | "contract" | "hold">) {
    this.works.set(w.id, { ...w, status: "OPEN", bids: [], contract: null, hold: w.budget });
    this.wallets[w.buyer]!.pending += w.budget;
  }

  private setHold(w: MWork, amount: bigint) {
    this.wallets[w.buyer]!.pending += amount - w.hold;
    w.hold = amount;
  }

  awarded(w: MWork, bid: MBid, c: Omit<MContract, "attempts" | "passedAt" | "bidId" | "provider" | "price">) {
    w.contract = { ...c, bidId: bid.id, provider: bid.provider, price: bid.price, attempts: 0, passedAt: null };
    for (const b of w.bids) if (b.status === "ACTIVE") b.status = b === bid ? "WON" : "LOST";
    this.setHold(w, bid.price);
    w.status = "AWARDED";
  }

  /** Canceled, or refunded: the hold released, bids still open lost. */
  released(w: MWork, status: "CANCELED" | "REFUNDED") {
    for (const b of w.bids) if (b.status === "ACTIVE") b.status = "LOST";
    this.setHold(w, 0n);
    w.status = status;
  }

  /** The contract settled, `refund` of its price back to the buyer: charged, the share held for the provider, the fee to the platform. */
  settled(w: MWork, status: "SETTLED" | "RESOLVED", at: number, maturesAt: number, refund = 0n) {
    const c = w.contract!;
    const charged = c.price - refund;
    this.wallets[w.buyer]!.posted -= charged;
    this.setHold(w, 0n);
    const { shareMicros, feeMicros } = splitCharge(charged, c.feeBps);
    if (shareMicros > 0n) {
      this.earnings[c.provider]!.pending += shareMicros;
      this.shares.push({ provider: c.provider, amount: shareMicros, maturesAt });
    }
    this.feesMicros += feeMicros;
    w.status = status;
  }

  /** Shares whose maturity has come are paid into the provider's available balance; returns how many. */
  matured(at: number): number {
    const due = this.shares.filter((s) => s.maturesAt <= at);
    for (const s of due) {
      this.earnings[s.provider]!.pending -= s.amount;
      this.earnings[s.provider]!.posted += s.amount;
      this.shares.splice(this.shares.indexOf(s), 1);
    }
    return due.length;
  }

  /** Instants at which some rule flips: the clock never stops exactly on one (whether a deadline is "past" at its own instant is no rule of the issue). */
  boundaries(): Set<number> {
    const out = new Set<number>(this.shares.map((s) => s.maturesAt));
    for (const w of this.works.values()) {
      if (!held(w.status)) continue;
      out.add(w.bidDeadline).add(w.deliveryDeadline);
      if (w.contract?.passedAt != null) out.add(w.contract.passedAt + ACCEPT_WINDOW_MS);
    }
    return out;
  }

  statusCounts(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const w of this.works.values()) out[w.status] = (out[w.status] ?? 0) + 1;
    return out;
  }

  bidCounts(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const w of this.works.values()) for (const b of w.bids) out[b.status] = (out[b.status] ?? 0) + 1;
    return out;
  }
}

type Snapshot = {
  wallets: { k: string; posted: string; pending: string }[] | null;
  earnings: { k: string; posted: string; pending: string }[] | null;
  money: { granted: string; charged: string; shares: string; fees: string };
  bad_holds: { id: string; status: string; held: string | null; resolved: boolean | null }[] | null;
  works: Record<string, number> | null;
  bids: Record<string, number> | null;
  touched: { status: string; attempts: number | null; price: string | null; held: string | null } | null;
  rows: Record<string, number>;
};

export type SimIds = { buyers: string[]; wallets: string[]; providers: string[] };

const HELD = Prisma.join(HELD_WORK_STATUSES.map((st) => Prisma.sql`${st}::"WorkStatus"`));

/**
 * The snapshot `expectModel` compares, in one statement over the simulation's own rows,
 * narrow enough to run after every step: the works still holding escrow (and the one the
 * step touched) with their hold, one pass over the buyers' transfers for the money, and the
 * row counts. A final work whose hold stayed open needs no query of its own: its wallet's
 * pending debits would exceed the model's, which holds only the open works' holds.
 */
export const snapshotSql = (ids: SimIds, touched: string | null) => Prisma.sql`
  WITH works AS (SELECT "id", "status", "budgetMicros", "holdId" FROM "Work" WHERE "workspaceId" = ANY(${ids.buyers})),
  held AS (
    SELECT w."id", w."status"::text AS status, w."budgetMicros" AS budget, c."id" AS cid, c."priceMicros" AS price, c."attempts",
      h."amountMicros" AS amount, h."contractId" AS hcid, h."kind" = 'PENDING' AND h."reason" = 'work_escrow' AS escrow,
      EXISTS (SELECT 1 FROM "Transfer" r WHERE r."pendingId" = h."id") AS resolved
    FROM works w LEFT JOIN "Contract" c ON c."workId" = w."id" LEFT JOIN "Transfer" h ON h."id" = w."holdId"
    WHERE w."status" IN (${HELD}) OR w."id" = ${touched}
  )
  SELECT
    (SELECT json_agg(json_build_object('k', "workspaceId", 'posted', "postedMicros"::text, 'pending', "pendingDebitsMicros"::text)) FROM "LedgerAccount" WHERE "id" = ANY(${ids.wallets})) AS wallets,
    (SELECT json_agg(json_build_object('k', "providerId", 'posted', "postedMicros"::text, 'pending', "pendingCreditsMicros"::text)) FROM "LedgerAccount"
      WHERE "kind" = 'PROVIDER_EARNINGS' AND "providerId" = ANY(${ids.providers})) AS earnings,
    (SELECT json_build_object(
        'granted', coalesce(sum(CASE WHEN "creditAccountId" = ANY(${ids.wallets}) THEN "amountMicros" ELSE -"amountMicros" END) FILTER (WHERE "kind" = 'POSTED' AND "reason" <> 'work_escrow' AND ("creditAccountId" = ANY(${ids.wallets}) OR "debitAccountId" = ANY(${ids.wallets}))), 0)::text,
        'charged', coalesce(sum("amountMicros") FILTER (WHERE "reason" = 'work_escrow' AND "kind" = 'POST_PENDING'), 0)::text,
        'shares', coalesce(sum("amountMicros") FILTER (WHERE "reason" = 'provider_share' AND "kind" = 'PENDING' AND "contractId" IS NOT NULL), 0)::text,
        'fees', coalesce(sum("amountMicros") FILTER (WHERE "reason" = 'platform_fee' AND "contractId" IS NOT NULL), 0)::text)
      FROM "Transfer" WHERE "workspaceId" = ANY(${ids.buyers}) OR "creditAccountId" = ANY(${ids.wallets}) OR "debitAccountId" = ANY(${ids.wallets})) AS money,
    (SELECT json_agg(json_build_object('id', "id", 'status', status, 'held', amount::text, 'resolved', resolved)) FROM held WHERE CASE
      WHEN status = 'OPEN' THEN amount IS DISTINCT FROM budget OR NOT escrow OR resolved OR hcid IS NOT NULL
      WHEN status IN ('AWARDED', 'REDELIVERY', 'DELIVERED', 'ACCEPTED', 'DISPUTED') THEN amount IS DISTINCT FROM price OR NOT escrow OR resolved OR hcid IS DISTINCT FROM cid
      ELSE NOT resolved END) AS bad_holds,
    (SELECT json_object_agg(status, n) FROM (SELECT "status"::text AS status, count(*)::int AS n FROM works GROUP BY 1) x) AS works,
    (SELECT json_object_agg(status, n) FROM (SELECT b."status"::text AS status, count(*)::int AS n FROM "Bid" b JOIN works w ON w."id" = b."workId" GROUP BY 1) x) AS bids,
    (SELECT json_build_object('status', status, 'attempts', "attempts", 'price', price::text, 'held', CASE WHEN resolved THEN NULL ELSE amount::text END) FROM held WHERE "id" = ${touched}) AS touched,
    json_build_object('works', (SELECT count(*) FROM "Work"), 'bids', (SELECT count(*) FROM "Bid"), 'contracts', (SELECT count(*) FROM "Contract"),
      'deliveries', (SELECT count(*) FROM "Delivery"), 'events', (SELECT count(*) FROM "WorkEvent"), 'transfers', (SELECT count(*) FROM "Transfer")) AS rows`;

/**
 * "No money created or lost", and the model equals the ledger — one query over the
 * simulation's own rows (its buyers' wallets and works, its providers' earnings, the
 * transfers of its contracts): every wallet and earnings balance as the model has it, the
 * grants the wallets started from (read from their transfers), the escrow charged equal to
 * the shares and fees paid out of it, every work's hold as its status says (the budget
 * while OPEN, the contract's price until it ends, resolved after), works and bids by status
 * as the model has them. Returns the row counts (a refused step must leave them as they were).
 */
export async function expectModel(db: Db, m: ExchangeModel, ids: SimIds, touched: string | null): Promise<Record<string, number>> {
  const [s] = await db.$queryRaw<Snapshot[]>(snapshotSql(ids, touched));
  const snap = s!;
  const byKey = (rows: Snapshot["wallets"]) => Object.fromEntries((rows ?? []).map((r) => [r.k, { posted: BigInt(r.posted), pending: BigInt(r.pending) }]));
  const wallets = byKey(snap.wallets);
  const earnings = byKey(snap.earnings);
  const zero = { posted: 0n, pending: 0n };
  ids.buyers.forEach((ws, i) => expect(wallets[ws] ?? zero, `buyer ${i}'s wallet`).toEqual(m.wallets[i]));
  ids.providers.forEach((p, i) => expect(earnings[p] ?? zero, `provider ${i}'s earnings`).toEqual(m.earnings[i]));
  const sum = (xs: bigint[]) => xs.reduce((a, b) => a + b, 0n);
  const [granted, charged, shares, fees] = [snap.money.granted, snap.money.charged, snap.money.shares, snap.money.fees].map(BigInt) as [bigint, bigint, bigint, bigint];
  expect(granted, "the credits granted at the start").toBe(sum(m.granted));
  expect(fees, "the platform's fees").toBe(m.feesMicros);
  // Every contract is a third party's: what the buyers were charged is exactly the shares and fees paid out of it.
  expect(charged, "escrow charged = shares + fees").toBe(shares + fees);
  const walletsPosted = sum(Object.values(wallets).map((w) => w.posted));
  const earned = sum(Object.values(earnings).map((e) => e.posted + e.pending));
  expect(earned, "the providers' earnings = the shares paid").toBe(shares);
  expect(walletsPosted + earned + fees, "no money created or lost").toBe(granted);
  expect(snap.bad_holds ?? [], "every work's hold matches its status").toEqual([]);
  expect(snap.works ?? {}, "works by status").toEqual(m.statusCounts());
  expect(snap.bids ?? {}, "bids by status").toEqual(m.bidCounts());
  if (touched) {
    const w = m.works.get(touched);
    if (w) {
      expect(snap.touched, `work ${touched}`).toEqual({
        status: w.status,
        attempts: w.contract ? w.contract.attempts : null,
        price: w.contract ? String(w.contract.price) : null,
        held: w.hold > 0n ? String(w.hold) : held(w.status) ? "0" : null,
      });
    }
  }
  return snap.rows;
}
