import type { Db, DbTx } from "@/lib/db/client";
import { randomUUID } from "node:crypto";
import { Prisma, type Transfer } from "@/lib/generated/prisma/client";
import { metrics } from "@/lib/observability/metrics";
import { recordSpan, withSpan } from "@/lib/observability/tracing";
import { settleBudget } from "@/lib/ledger/budgets";
import { after, type Statement } from "@/lib/db/statement";

// The double-entry ledger (SPEC §4): the only code that moves money. Every
// operation runs inside the caller's transaction (a run's acceptance or finish,
// a top-up) and changes the wallet's cached balance with one conditional UPDATE
// in that same transaction, so a hold is placed atomically — never
// check-then-insert — and a failed transfer leaves nothing behind. Amounts are
// bigint micro-USD. Every posting names its reason (PostingReason) and carries
// an idempotency key (the type requires one), so no caller can book twice by
// retrying; a hold's resolution is keyed by the hold itself.
//
// Only customer wallets cache their balance (on their row). The platform's
// accounts (revenue, provider cost, Stripe clearing, promotions) are on the
// other side of nearly every transfer; caching theirs would make every run
// charge in the system queue on one row (and deadlock against refunds locking
// in the other order), so their balances are summed from transfers when asked.
// Lock order, always: at most one transfer row (the hold or the transfer being
// reversed), then the wallet rows in id order.

export const SYSTEM_ACCOUNTS = {
  revenue: "acct_platform_revenue",
  providerCost: "acct_provider_cost",
  stripeClearing: "acct_stripe_clearing",
  promotions: "acct_promotions",
  platformFees: "acct_platform_fees",
} as const;

export class LedgerError extends Error {
  constructor(
    readonly code: "insufficient_funds" | "idempotency_conflict" | "idempotency_race" | "duplicate_payment" | "hold_resolved" | "hold_not_found" | "amount_exceeds_hold" | "invalid_amount" | "already_reversed" | "not_reversible",
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = "LedgerError";
  }
}

export class InsufficientFunds extends LedgerError {
  constructor(
    readonly accountId: string,
    readonly neededMicros: bigint,
    readonly availableMicros: bigint,
  ) {
    super("insufficient_funds", "The account's available balance does not cover this amount.", { accountId, neededMicros, availableMicros });
  }
}

/** Why money moves: every posting names one (the Transfer row's `reason`). */
export type PostingReason = "top_up" | "auto_top_up" | "included_credits" | "admin_grant" | "admin_deduct" | "refund" | "correction" | "run_charge" | "model_cost"
  // issue 19: a package provider's share of a run and its payouts (lib/ledger/earnings.ts, lib/payouts)
  | "provider_share" | "platform_fee" | "share_reversal" | "payout" | "payout_reversed"
  // issue 21: a work's budget, then its contract's price, held on the buyer's wallet (lib/exchange/escrow.ts)
  | "work_escrow";

export type TransferParams = {
  debit: string;
  credit: string;
  amount: bigint;
  reason: PostingReason;
  /** Required: a retried posting under the same key is a replay, never a second booking. */
  idempotencyKey: string;
  workspaceId?: string | null;
  runId?: string | null;
  externalRef?: string | null;
  /** A transfer a person made (an admin's grant or deduction): who, and why. */
  actorUserId?: string | null;
  memo?: string | null;
  /** The package provider involved (shares, fees, payouts). */
  providerId?: string | null;
  /** The exchange contract whose escrow, settlement, share or fee this is (SPEC invariant 11). */
  contractId?: string | null;
  /** A provider share's hold: when it becomes payable (lib/ledger/earnings.ts). */
  maturesAt?: Date | null;
};

/** A transfer as a posting returns it: `replayed` when its idempotency key had already booked it. */
export type Posting = Transfer & { replayed: boolean };

export type Balance = { postedMicros: bigint; pendingDebitsMicros: bigint; pendingCreditsMicros: bigint; availableMicros: bigint };

/** A workspace's credits account, created on first use (a read when it exists). */
export async function walletFor(tx: DbTx, workspaceId: string): Promise<string> {
  const existing = await tx.$queryRaw<{ id: string }[]>`SELECT "id" FROM "LedgerAccount" WHERE "workspaceId" = ${workspaceId}`;
  if (existing[0]) return existing[0].id;
  const rows = await tx.$queryRaw<{ id: string }[]>`
    INSERT INTO "LedgerAccount" ("id", "kind", "workspaceId", "code", "mayGoNegative")
    VALUES (${`acct_ws_${workspaceId}`}, 'WORKSPACE_CREDITS', ${workspaceId}, ${`credits:${workspaceId}`}, false)
    ON CONFLICT ("workspaceId") DO UPDATE SET "workspaceId" = EXCLUDED."workspaceId"
    RETURNING "id"`;
  return rows[0]!.id;
}

const systemIds = new Set<string>(Object.values(SYSTEM_ACCOUNTS));
/** Whether the account caches its balance on its row (customer wallets) or is derived from transfers (system accounts). */
const cached = (accountId: string) => !systemIds.has(accountId);

const cachedColumns = { postedMicros: true, pendingDebitsMicros: true, pendingCreditsMicros: true } as const;
const withAvailable = (a: Omit<Balance, "availableMicros">): Balance => ({ ...a, availableMicros: a.postedMicros - a.pendingDebitsMicros });

export async function balanceOf(tx: DbTx, accountId: string): Promise<Balance> {
  if (cached(accountId)) return withAvailable(await tx.ledgerAccount.findUniqueOrThrow({ where: { id: accountId }, select: cachedColumns }));
  const [sums] = await tx.$queryRaw<{ posted: bigint; pd: bigint; pc: bigint }[]>`
    SELECT
      coalesce(sum(CASE WHEN "kind" IN ('POSTED', 'POST_PENDING') THEN CASE WHEN "creditAccountId" = ${accountId} THEN "amountMicros" ELSE -"amountMicros" END END), 0)::bigint AS posted,
      coalesce(sum(CASE WHEN "kind" = 'PENDING' AND "debitAccountId" = ${accountId} AND NOT EXISTS (SELECT 1 FROM "Transfer" r WHERE r."pendingId" = t."id") THEN "amountMicros" END), 0)::bigint AS pd,
      coalesce(sum(CASE WHEN "kind" = 'PENDING' AND "creditAccountId" = ${accountId} AND NOT EXISTS (SELECT 1 FROM "Transfer" r WHERE r."pendingId" = t."id") THEN "amountMicros" END), 0)::bigint AS pc
    FROM "Transfer" t WHERE "debitAccountId" = ${accountId} OR "creditAccountId" = ${accountId}`;
  return withAvailable({ postedMicros: sums!.posted, pendingDebitsMicros: sums!.pd, pendingCreditsMicros: sums!.pc });
}

function positive(amount: bigint, allowZero = false) {
  if (amount < 0n || (!allowZero && amount === 0n)) throw new LedgerError("invalid_amount", `Amounts must be ${allowZero ? "≥" : ">"} 0 micro-USD.`, { amount });
}

type Delta = { account: string; posted?: bigint; pendingDebits?: bigint; pendingCredits?: bigint };

/**
 * One statement per operation: the wallet updates and the transfer's insert, as
 * data-modifying CTEs. `guarded` (the debit wallet, for money leaving it) is
 * updated only if its available balance covers `need`; every other update and
 * the insert happen only if that one did — so a refused transfer changes
 * nothing, even inside a caller's transaction that goes on. System accounts
 * have no cached columns to update.
 */
function write(tx: DbTx, row: Prisma.TransferUncheckedCreateInput, deltas: Delta[], guarded?: { account: string; need: bigint }): Promise<Posting> {
  return withSpan("ledger.write", { "agora.transfer.kind": row.kind, "agora.transfer.reason": row.reason }, () => writeTransfer(tx, row, deltas, guarded));
}

async function writeTransfer(tx: DbTx, row: Prisma.TransferUncheckedCreateInput, deltas: Delta[], guarded?: { account: string; need: bigint }): Promise<Posting> {
  const guard = guarded && cached(guarded.account) ? guarded : undefined;
  // The guarded wallet's update comes first (u0); everything after it depends on it.
  const updates = deltas.filter((d) => cached(d.account)).sort((a, b) => Number(b.account === guard?.account) - Number(a.account === guard?.account));
  // A hold's resolution happens only if the hold has none yet (the unique index is the backstop).
  const resolves = row.pendingId ? Prisma.sql`AND NOT EXISTS (SELECT 1 FROM "Transfer" WHERE "pendingId" = ${row.pendingId})` : Prisma.empty;
  // A keyed posting happens only if its key has booked nothing yet: the replay check is part of the write, not a query before it.
  const fresh = row.idempotencyKey ? Prisma.sql`AND NOT EXISTS (SELECT 1 FROM "Transfer" WHERE "idempotencyKey" = ${row.idempotencyKey})` : Prisma.empty;
  const unresolved = Prisma.sql`${resolves} ${fresh}`;
  const afterGuard = guard ? Prisma.sql`AND EXISTS (SELECT 1 FROM u0)` : Prisma.empty;
  const ctes = updates.map((d, i) => {
    const condition = guard && i === 0 ? Prisma.sql`AND "postedMicros" - "pendingDebitsMicros" >= ${guard.need} ${fresh}` : Prisma.sql`${afterGuard} ${unresolved}`;
    return Prisma.sql`${Prisma.raw(`u${i}`)} AS (UPDATE "LedgerAccount" SET "postedMicros" = "postedMicros" + ${d.posted ?? 0n},
      "pendingDebitsMicros" = "pendingDebitsMicros" + ${d.pendingDebits ?? 0n}, "pendingCreditsMicros" = "pendingCreditsMicros" + ${d.pendingCredits ?? 0n}
      WHERE "id" = ${d.account} ${condition} RETURNING 1)`;
  });
  const rows = await tx.$queryRaw<Transfer[]>`
    ${ctes.length ? Prisma.sql`WITH ${Prisma.join(ctes, ", ")}` : Prisma.empty}
    INSERT INTO "Transfer" ("id", "kind", "debitAccountId", "creditAccountId", "amountMicros", "pendingId", "reversesId", "idempotencyKey", "workspaceId", "runId", "reason", "externalRef", "expiresAt", "actorUserId", "memo", "providerId", "contractId", "maturesAt")
    SELECT ${randomUUID()}, ${row.kind}::"TransferKind", ${row.debitAccountId}, ${row.creditAccountId}, ${row.amountMicros}, ${row.pendingId ?? null}, ${row.reversesId ?? null},
      ${row.idempotencyKey ?? null}, ${row.workspaceId ?? null}, ${row.runId ?? null}, ${row.reason}, ${row.externalRef ?? null}, ${row.expiresAt ?? null}::timestamp,
      ${row.actorUserId ?? null}, ${row.memo ?? null}, ${row.providerId ?? null}, ${row.contractId ?? null}, ${row.maturesAt ?? null}::timestamp
    WHERE true ${afterGuard} ${unresolved}
    RETURNING *`.catch((err: unknown) => {
    // The unique indexes are backstops; a concurrent request that committed first trips them.
    const message = String((err as Error).message);
    if (message.includes("Transfer_idempotencyKey_key")) throw new LedgerError("idempotency_race", "A concurrent request with this idempotency key committed first.", { idempotencyKey: row.idempotencyKey });
    if (message.includes("Transfer_pendingId_key")) throw new LedgerError("hold_resolved", "This hold was resolved concurrently.", { pendingId: row.pendingId });
    if (message.includes("Transfer_externalRef_key")) throw new LedgerError("duplicate_payment", "This payment was already credited.", { externalRef: row.externalRef });
    if (message.includes("Transfer_reversesId_key")) throw new LedgerError("already_reversed", "This transfer was reversed concurrently.", { transferId: row.reversesId });
    throw err;
  });
  if (rows[0]) {
    // Counted when written; a transfer whose transaction then rolls back is still counted (an upper bound).
    metrics().ledgerTransfers.inc({ kind: row.kind });
    return { ...asTransfer(rows[0]), replayed: false };
  }
  const existing = row.idempotencyKey ? await replayed(tx, row) : undefined;
  if (existing) return existing;
  if (row.pendingId) throw await resolvedError(tx, row.pendingId);
  const balance = await balanceOf(tx, guard!.account);
  throw new InsufficientFunds(guard!.account, guard!.need, balance.availableMicros);
}

const sameParams = (t: Transfer, row: Prisma.TransferUncheckedCreateInput) =>
  t.kind === row.kind && t.debitAccountId === row.debitAccountId && t.creditAccountId === row.creditAccountId && t.amountMicros === row.amountMicros && (t.runId ?? null) === (row.runId ?? null);

/** The transfer already made under this row's key (same parameters), or undefined; a different request under it is an error. */
async function replayed(tx: DbTx, row: Prisma.TransferUncheckedCreateInput): Promise<Posting | undefined> {
  const existing = await tx.transfer.findUnique({ where: { idempotencyKey: row.idempotencyKey! } });
  if (!existing) return undefined;
  if (!sameParams(existing, row)) throw new LedgerError("idempotency_conflict", "This idempotency key was used for a different transfer.", { transferId: existing.id });
  return { ...existing, replayed: true };
}

/** A hold's resolution: keyed by the hold itself (one resolution per hold, the unique pendingId), not by an idempotency key. */
type Resolution = Omit<TransferParams, "reason" | "idempotencyKey"> & { reason: string; idempotencyKey: null };

const transferData = (p: TransferParams | Resolution, kind: Transfer["kind"], extra: Partial<Prisma.TransferUncheckedCreateInput> = {}): Prisma.TransferUncheckedCreateInput => ({
  kind,
  debitAccountId: p.debit,
  creditAccountId: p.credit,
  amountMicros: p.amount,
  reason: p.reason,
  idempotencyKey: p.idempotencyKey,
  workspaceId: p.workspaceId ?? null,
  runId: p.runId ?? null,
  externalRef: p.externalRef ?? null,
  actorUserId: p.actorUserId ?? null,
  memo: p.memo ?? null,
  providerId: p.providerId ?? null,
  contractId: p.contractId ?? null,
  maturesAt: p.maturesAt ?? null,
  ...extra,
});

/** Between two wallets, both rows are locked in id order first, so opposite transfers cannot deadlock. */
async function lockWallets(tx: DbTx, a: string, b: string) {
  if (cached(a) && cached(b)) await tx.$queryRaw`SELECT "id" FROM "LedgerAccount" WHERE "id" IN (${a}, ${b}) ORDER BY "id" FOR UPDATE`;
}

/** A single-phase transfer: moves `amount` at once (top-ups, grants, refunds, corrections). */
export async function transfer(tx: DbTx, p: TransferParams): Promise<Posting> {
  positive(p.amount);
  await lockWallets(tx, p.debit, p.credit);
  return write(tx, transferData(p, "POSTED"), [{ account: p.debit, posted: -p.amount }, { account: p.credit, posted: p.amount }], { account: p.debit, need: p.amount });
}

/** A hold: reserves `amount` on the debit account (available balance drops, posted does not) until posted, voided or expired (never, with a null `expiresAt`). */
export async function hold(tx: DbTx, p: TransferParams & { expiresAt: Date | null }): Promise<Posting> {
  positive(p.amount);
  await lockWallets(tx, p.debit, p.credit);
  return write(tx, transferData(p, "PENDING", { expiresAt: p.expiresAt }), [{ account: p.debit, pendingDebits: p.amount }, { account: p.credit, pendingCredits: p.amount }], { account: p.debit, need: p.amount });
}

/** Raw rows may carry BIGINT as a string or number; money is always bigint here. */
const asTransfer = (row: Transfer): Transfer => ({ ...row, amountMicros: BigInt(row.amountMicros) });

/** Transfer rows matching `where`, locked for this transaction. */
async function lockTransfers(tx: DbTx, where: Prisma.Sql): Promise<Transfer[]> {
  return (await tx.$queryRaw<Transfer[]>`SELECT * FROM "Transfer" WHERE ${where} FOR UPDATE`).map(asTransfer);
}

/**
 * The hold, locked for this transaction. Whether it is still unresolved is
 * checked by the resolving statement itself (`write`'s `unresolved`), which runs
 * after the lock is granted and so sees what an earlier resolver committed.
 */
async function lockHold(tx: DbTx, pendingId: string): Promise<Transfer> {
  const [row] = await lockTransfers(tx, Prisma.sql`"id" = ${pendingId} AND "kind" = 'PENDING'`);
  if (!row) throw new LedgerError("hold_not_found", "No such hold.", { pendingId });
  return row;
}

async function resolvedError(tx: DbTx, pendingId: string) {
  const resolution = await tx.transfer.findUnique({ where: { pendingId }, select: { id: true, kind: true } });
  return new LedgerError("hold_resolved", `This hold was already resolved (${resolution?.kind}).`, { pendingId, resolutionId: resolution?.id });
}

/** A run's charge hold, locked for this transaction (one query), or undefined if none was placed. */
export async function lockRunHold(tx: DbTx, runId: string): Promise<Transfer | undefined> {
  return (await lockTransfers(tx, Prisma.sql`"runId" = ${runId} AND "kind" = 'PENDING' AND "reason" = 'run_charge'`))[0];
}

// A run's settlement as sub-statements of the one statement that ends the run
// (lib/runs/finish-run.ts), so no hold is locked and read first: whether the
// hold is still unresolved is part of the statement (and the unique pendingId
// the backstop against a concurrent resolver, as in `write`).

/** CTE: the run's charge hold, if placed and not yet resolved (its amount and accepting time). */
export function runHoldCte(s: Statement, runId: string): string {
  return s.with(
    "held",
    `SELECT h."id", h."amountMicros", h."createdAt", h."debitAccountId", h."creditAccountId", h."workspaceId", h."reason" FROM "Transfer" h
     WHERE h."runId" = ${s.param(runId)} AND h."kind" = 'PENDING' AND h."reason" = 'run_charge' AND NOT EXISTS (SELECT 1 FROM "Transfer" r WHERE r."pendingId" = h."id")`,
  );
}

/**
 * CTEs, when `when` holds: the hold `held` posted for `charged` ≤ its amount
 * (or voided when `charged` is 0) — the debit wallet's cached balance (its
 * row: the wallet lock), then the resolution. A run's hold is credited to
 * revenue (lib/runs/money/hold.ts), which caches no balance, and a METERED
 * run's is debited to stripe_clearing: then no wallet row changes. `wallet`
 * returns the wallet's available balance after the charge.
 */
export function resolveHoldCtes(s: Statement, o: { held: string; charged: string; runId: string; when: string }): { wallet: string; resolution: string } {
  const wallet = s.with(
    "wallet",
    `UPDATE "LedgerAccount" a SET "pendingDebitsMicros" = a."pendingDebitsMicros" - h."amountMicros", "postedMicros" = a."postedMicros" - ${o.charged}
     FROM ${o.held} h WHERE a."id" = h."debitAccountId" AND a."id" <> ALL(${s.param([...systemIds], "text[]")}) AND ${o.when}
     RETURNING a."postedMicros" - a."pendingDebitsMicros" AS "availableMicros"`,
  );
  const resolution = s.with(
    "resolution",
    `INSERT INTO "Transfer" ("id", "kind", "debitAccountId", "creditAccountId", "amountMicros", "pendingId", "workspaceId", "runId", "reason")
     SELECT ${s.param(randomUUID())}, (CASE WHEN ${o.charged} > 0 THEN 'POST_PENDING' ELSE 'VOID_PENDING' END)::"TransferKind", h."debitAccountId", h."creditAccountId",
       ${o.charged}, h."id", h."workspaceId", ${s.param(o.runId)}, h."reason"
     FROM ${o.held} h WHERE ${o.when} AND ${after(wallet)}
     RETURNING "kind", "reason"`,
  );
  return { wallet, resolution };
}

/** CTE, when `when` holds and `amount` > 0: the run's model cost booked revenue → provider_cost (system accounts: no row locks), once per run by its key. */
export function modelCostCte(s: Statement, o: { runId: string; workspaceId: string; amount: bigint; when: string }): string {
  const key = s.param(`run:${o.runId}:model_cost`);
  const amount = s.param(o.amount, "bigint");
  return s.with(
    "model_cost",
    `INSERT INTO "Transfer" ("id", "kind", "debitAccountId", "creditAccountId", "amountMicros", "idempotencyKey", "workspaceId", "runId", "reason")
     SELECT ${s.param(randomUUID())}, 'POSTED', ${s.param(SYSTEM_ACCOUNTS.revenue)}, ${s.param(SYSTEM_ACCOUNTS.providerCost)}, ${amount}, ${key},
       ${s.param(o.workspaceId)}, ${s.param(o.runId)}, 'model_cost'
     WHERE ${amount} > 0 AND ${o.when} AND NOT EXISTS (SELECT 1 FROM "Transfer" WHERE "idempotencyKey" = ${key})
     RETURNING "kind", "reason"`,
  );
}

/** After a statement that wrote transfers (`startedAt`: when it was sent): counted and traced as `write` does each posting. */
export function recordTransfers(written: readonly Pick<Transfer, "kind" | "reason">[], startedAt: Date): void {
  const now = new Date();
  for (const t of written) {
    metrics().ledgerTransfers.inc({ kind: t.kind });
    recordSpan("ledger.write", { "agora.transfer.kind": t.kind, "agora.transfer.reason": t.reason }, startedAt, now);
  }
}

/** Who resolved a hold by hand, and why (an admin's dispute resolution): recorded on the resolving transfer. */
export type ResolvedBy = Pick<TransferParams, "actorUserId" | "memo">;

/** Posts a hold for `amount` ≤ the amount held; the rest is released. Resolves the hold. Pass the hold itself if it is already locked. */
export async function postHold(tx: DbTx, pendingId: string | Transfer, amount: bigint, by: ResolvedBy = {}): Promise<Posting> {
  positive(amount, true);
  const held = typeof pendingId === "string" ? await lockHold(tx, pendingId) : pendingId;
  if (amount > held.amountMicros) throw new LedgerError("amount_exceeds_hold", "A hold cannot be posted for more than it holds.", { held: held.amountMicros, amount });
  return write(tx, transferData({ debit: held.debitAccountId, credit: held.creditAccountId, amount, reason: held.reason, idempotencyKey: null, workspaceId: held.workspaceId, runId: held.runId, providerId: held.providerId, contractId: held.contractId, ...by }, "POST_PENDING", { pendingId: held.id }), [
    { account: held.debitAccountId, pendingDebits: -held.amountMicros, posted: -amount },
    { account: held.creditAccountId, pendingCredits: -held.amountMicros, posted: amount },
  ]);
}

/** Releases a hold without moving money: `VOID_PENDING`, or `EXPIRE_PENDING` from the expiry sweep. */
export async function voidHold(tx: DbTx, pendingId: string | Transfer, kind: "VOID_PENDING" | "EXPIRE_PENDING" = "VOID_PENDING", by: ResolvedBy = {}): Promise<Posting> {
  const held = typeof pendingId === "string" ? await lockHold(tx, pendingId) : pendingId;
  return write(tx, transferData({ debit: held.debitAccountId, credit: held.creditAccountId, amount: 0n, reason: held.reason, idempotencyKey: null, workspaceId: held.workspaceId, runId: held.runId, providerId: held.providerId, contractId: held.contractId, ...by }, kind, { pendingId: held.id }), [
    { account: held.debitAccountId, pendingDebits: -held.amountMicros },
    { account: held.creditAccountId, pendingCredits: -held.amountMicros },
  ]);
}

/** A correction: moves a posted transfer's amount back (once), if the account it went to can give it back. */
export async function reverse(tx: DbTx, transferId: string, reason: PostingReason, idempotencyKey: string, by: Pick<TransferParams, "actorUserId" | "memo"> = {}): Promise<Posting> {
  // Locks the original, so two concurrent reversals queue and the second sees the first.
  const [original] = await lockTransfers(tx, Prisma.sql`"id" = ${transferId}`);
  if (!original || (original.kind !== "POSTED" && original.kind !== "POST_PENDING") || original.amountMicros === 0n) {
    throw new LedgerError("not_reversible", "Only a posted transfer that moved money can be reversed.", { transferId });
  }
  const p: TransferParams = { debit: original.creditAccountId, credit: original.debitAccountId, amount: original.amountMicros, reason, idempotencyKey, workspaceId: original.workspaceId, runId: original.runId, providerId: original.providerId, contractId: original.contractId, ...by };
  const row = transferData(p, "POSTED", { reversesId: transferId });
  // Before the already-reversed check: a replay of this very reversal returns it.
  const existing = await replayed(tx, row);
  if (existing) return existing;
  const already = await tx.transfer.findUnique({ where: { reversesId: transferId }, select: { id: true } });
  if (already) throw new LedgerError("already_reversed", "This transfer was already reversed.", { transferId, reversalId: already.id });
  await lockWallets(tx, p.debit, p.credit);
  return write(tx, row, [{ account: p.debit, posted: -p.amount }, { account: p.credit, posted: p.amount }], { account: p.debit, need: p.amount });
}

/**
 * Expires holds past their expiry (a sweep, the `holds.expire` job; each in its own transaction). Returns how many.
 * A run's hold also gives back its budget reservation (lib/ledger/budgets.ts), as voiding it at settlement does:
 * in lock order, the hold, the counters, then the wallets.
 */
export async function expireHolds(db: Db, now = new Date(), batch = 100): Promise<number> {
  const due = await db.$queryRaw<{ id: string }[]>`
    SELECT p."id" FROM "Transfer" p
    WHERE p."kind" = 'PENDING' AND p."expiresAt" < ${now}
      AND NOT EXISTS (SELECT 1 FROM "Transfer" r WHERE r."pendingId" = p."id")
    ORDER BY p."expiresAt" LIMIT ${batch}`;
  let expired = 0;
  for (const { id } of due) {
    try {
      await db.$transaction(async (tx) => {
        const held = await lockHold(tx, id);
        if (held.runId && held.reason === "run_charge") {
          const run = await tx.run.findUnique({ where: { id: held.runId }, select: { workspaceId: true, apiKeyId: true } });
          if (run) await settleBudget(tx, run, held.amountMicros, 0n, held.createdAt);
        }
        await voidHold(tx, held, "EXPIRE_PENDING"); // throws hold_resolved, undoing the release, if it was resolved meanwhile
      });
      expired++;
    } catch (err) {
      if (!(err instanceof LedgerError && err.code === "hold_resolved")) throw err; // resolved meanwhile: fine
    }
  }
  return expired;
}

/**
 * Runs `fn` in a transaction; if a concurrent request with the same idempotency
 * key committed first, runs it once more, when the key's transfer is found and
 * returned as a replay.
 */
export async function inLedgerTransaction<T>(db: Db, fn: (tx: Prisma.TransactionClient) => Promise<T>): Promise<T> {
  try {
    return await db.$transaction(fn);
  } catch (err) {
    if (err instanceof LedgerError && err.code === "idempotency_race") return db.$transaction(fn);
    throw err;
  }
}

/** A workspace's wallet balance (zero before it has a wallet), without creating one. */
export async function workspaceBalance(tx: DbTx, workspaceId: string): Promise<Balance> {
  const a = await tx.ledgerAccount.findUnique({ where: { workspaceId }, select: cachedColumns });
  return withAvailable(a ?? { postedMicros: 0n, pendingDebitsMicros: 0n, pendingCreditsMicros: 0n });
}
