import type { DbTx } from "@/lib/db/client";

// checkLedgerInvariants(): the eight invariants of SPEC §4 and the market's
// three of SPEC §13 (9–11: revenue share, earnings), recomputed from the
// transfers. Returns every violation found (empty = healthy); tests assert it
// after every concurrency, fault and randomized step, and the admin health
// check runs it.

export type Violation = { invariant: number; message: string; details?: unknown };

const num = (v: unknown) => BigInt(String(v ?? 0));

export async function checkLedgerInvariants(db: DbTx): Promise<Violation[]> {
  const violations: Violation[] = [];
  const add = (invariant: number, message: string, details?: unknown) => violations.push({ invariant, message, details });

  // 1. Every transfer balances: each moves one amount from one account to another, so
  //    all balances — wallets' cached, system accounts' summed from transfers — add up
  //    to zero, and pending debits equal pending credits.
  const [totals] = await db.$queryRaw<{ posted: bigint; pd: bigint; pc: bigint }[]>`
    WITH system_moves AS (
      SELECT CASE WHEN a."id" = t."creditAccountId" THEN t."amountMicros" ELSE -t."amountMicros" END AS posted
      FROM "LedgerAccount" a JOIN "Transfer" t ON a."id" IN (t."debitAccountId", t."creditAccountId")
      WHERE a."mayGoNegative" AND t."kind" IN ('POSTED', 'POST_PENDING')
    ), open_holds AS (
      SELECT p."amountMicros", da."mayGoNegative" AS debit_system, ca."mayGoNegative" AS credit_system FROM "Transfer" p
      JOIN "LedgerAccount" da ON da."id" = p."debitAccountId" JOIN "LedgerAccount" ca ON ca."id" = p."creditAccountId"
      WHERE p."kind" = 'PENDING' AND NOT EXISTS (SELECT 1 FROM "Transfer" r WHERE r."pendingId" = p."id")
    )
    SELECT
      (SELECT coalesce(sum("postedMicros"), 0) FROM "LedgerAccount" WHERE NOT "mayGoNegative") + (SELECT coalesce(sum(posted), 0) FROM system_moves) AS posted,
      (SELECT coalesce(sum("pendingDebitsMicros"), 0) FROM "LedgerAccount" WHERE NOT "mayGoNegative") + (SELECT coalesce(sum("amountMicros"), 0) FROM open_holds WHERE debit_system) AS pd,
      (SELECT coalesce(sum("pendingCreditsMicros"), 0) FROM "LedgerAccount" WHERE NOT "mayGoNegative") + (SELECT coalesce(sum("amountMicros"), 0) FROM open_holds WHERE credit_system) AS pc`;
  if (num(totals!.posted) !== 0n) add(1, "balances do not sum to zero", { sum: String(totals!.posted) });
  if (num(totals!.pd) !== num(totals!.pc)) add(1, "pending debits and credits differ", { debits: String(totals!.pd), credits: String(totals!.pc) });
  const [selfTransfers] = await db.$queryRaw<{ n: bigint }[]>`SELECT count(*) AS n FROM "Transfer" WHERE "debitAccountId" = "creditAccountId" OR "amountMicros" < 0`;
  if (num(selfTransfers!.n) > 0n) add(1, "transfers to the same account or with a negative amount", { count: String(selfTransfers!.n) });

  // 2. No customer wallet's (nor provider's earnings') available balance is negative.
  const overdrawn = await db.$queryRaw<{ id: string; available: bigint }[]>`
    SELECT "id", "postedMicros" - "pendingDebitsMicros" AS available FROM "LedgerAccount"
    WHERE "kind" IN ('WORKSPACE_CREDITS', 'PROVIDER_EARNINGS') AND ("postedMicros" - "pendingDebitsMicros" < 0 OR "pendingDebitsMicros" < 0)`;
  for (const o of overdrawn) add(2, "a wallet is overdrawn", { accountId: o.id, available: String(o.available) });

  // 3. Transfers are never updated or deleted: the trigger that refuses it is in place.
  const [trigger] = await db.$queryRaw<{ n: bigint }[]>`
    SELECT count(*) AS n FROM pg_trigger WHERE tgname = 'agora_transfer_immutable' AND tgenabled <> 'D'`;
  if (num(trigger!.n) !== 1n) add(3, "the immutability trigger on Transfer is missing or disabled");

  // 4. One idempotency key → at most one transfer (the unique index), and 7. one external
  //    payment reference → at most one credit.
  const dupes = await db.$queryRaw<{ key: string; n: bigint }[]>`
    SELECT "idempotencyKey" AS key, count(*) AS n FROM "Transfer" WHERE "idempotencyKey" IS NOT NULL GROUP BY 1 HAVING count(*) > 1
    UNION ALL
    SELECT "externalRef", count(*) FROM "Transfer" WHERE "externalRef" IS NOT NULL GROUP BY 1 HAVING count(*) > 1`;
  for (const d of dupes) add(4, "a key or payment reference has several transfers", { key: d.key, count: String(d.n) });

  // 5. A hold resolves at most once, posted for no more than it held, between the same accounts.
  const badResolutions = await db.$queryRaw<{ id: string; problem: string }[]>`
    SELECT r."id", CASE
        WHEN p."id" IS NULL OR p."kind" <> 'PENDING' THEN 'resolves something that is not a hold'
        WHEN r."amountMicros" > p."amountMicros" THEN 'posted more than held'
        WHEN r."kind" <> 'POST_PENDING' AND r."amountMicros" <> 0 THEN 'a void moved money'
        ELSE 'different accounts than its hold' END AS problem
    FROM "Transfer" r LEFT JOIN "Transfer" p ON p."id" = r."pendingId"
    WHERE r."pendingId" IS NOT NULL AND (p."id" IS NULL OR p."kind" <> 'PENDING' OR r."amountMicros" > p."amountMicros"
      OR (r."kind" <> 'POST_PENDING' AND r."amountMicros" <> 0)
      OR r."debitAccountId" <> p."debitAccountId" OR r."creditAccountId" <> p."creditAccountId")`;
  for (const b of badResolutions) add(5, b.problem, { transferId: b.id });

  // 6. Cached balances (customer wallets; system accounts store none) equal the sums of their transfers.
  const drift = await db.$queryRaw<{ id: string; posted: bigint; pd: bigint; pc: bigint; posted_sum: bigint; pd_sum: bigint; pc_sum: bigint }[]>`
    WITH moved AS (
      SELECT "debitAccountId" AS account, -"amountMicros" AS posted, 0::bigint AS pd, 0::bigint AS pc FROM "Transfer" WHERE "kind" IN ('POSTED', 'POST_PENDING')
      UNION ALL SELECT "creditAccountId", "amountMicros", 0, 0 FROM "Transfer" WHERE "kind" IN ('POSTED', 'POST_PENDING')
      UNION ALL SELECT p."debitAccountId", 0, p."amountMicros", 0 FROM "Transfer" p WHERE p."kind" = 'PENDING' AND NOT EXISTS (SELECT 1 FROM "Transfer" r WHERE r."pendingId" = p."id")
      UNION ALL SELECT p."creditAccountId", 0, 0, p."amountMicros" FROM "Transfer" p WHERE p."kind" = 'PENDING' AND NOT EXISTS (SELECT 1 FROM "Transfer" r WHERE r."pendingId" = p."id")
    ), sums AS (SELECT account, sum(posted) AS posted, sum(pd) AS pd, sum(pc) AS pc FROM moved GROUP BY account)
    SELECT a."id", a."postedMicros" AS posted, a."pendingDebitsMicros" AS pd, a."pendingCreditsMicros" AS pc,
      coalesce(s.posted, 0) AS posted_sum, coalesce(s.pd, 0) AS pd_sum, coalesce(s.pc, 0) AS pc_sum
    FROM "LedgerAccount" a LEFT JOIN sums s ON s.account = a."id"
    WHERE a."mayGoNegative" AND (a."postedMicros" <> 0 OR a."pendingDebitsMicros" <> 0 OR a."pendingCreditsMicros" <> 0)
      OR NOT a."mayGoNegative" AND (a."postedMicros" <> coalesce(s.posted, 0) OR a."pendingDebitsMicros" <> coalesce(s.pd, 0) OR a."pendingCreditsMicros" <> coalesce(s.pc, 0))`;
  for (const d of drift) {
    add(6, "a cached balance differs from its transfers", { accountId: d.id, cached: [d.posted, d.pd, d.pc].map(String), fromTransfers: [d.posted_sum, d.pd_sum, d.pc_sum].map(String) });
  }

  // 8. Every posted run charge belongs to exactly one finished run of the same workspace.
  const orphanCharges = await db.$queryRaw<{ id: string }[]>`
    SELECT t."id" FROM "Transfer" t LEFT JOIN "Run" r ON r."id" = t."runId"
    WHERE t."reason" = 'run_charge' AND t."kind" = 'POST_PENDING' AND t."amountMicros" > 0
      AND (r."id" IS NULL OR r."workspaceId" IS DISTINCT FROM t."workspaceId" OR r."status" NOT IN ('SUCCEEDED', 'FAILED', 'CANCELED'))`;
  for (const o of orphanCharges) add(8, "a run charge without its finished run", { transferId: o.id });
  const doubleCharges = await db.$queryRaw<{ runId: string }[]>`
    SELECT "runId" FROM "Transfer" WHERE "reason" = 'run_charge' AND "kind" = 'POST_PENDING' AND "runId" IS NOT NULL GROUP BY 1 HAVING count(*) > 1`;
  for (const d of doubleCharges) add(8, "a run charged more than once", { runId: d.runId });

  // 9. A third-party run's share + fee + pass-through = its charge, and its share and fee transfers are those amounts.
  const badSplits = await db.$queryRaw<{ id: string }[]>`
    SELECT r."id" FROM "Run" r
    LEFT JOIN "Transfer" c ON c."runId" = r."id" AND c."reason" = 'run_charge' AND c."kind" = 'POST_PENDING'
    LEFT JOIN "Transfer" s ON s."idempotencyKey" = 'run:' || r."id" || ':share'
    LEFT JOIN "Transfer" f ON f."idempotencyKey" = 'run:' || r."id" || ':fee'
    WHERE r."platformFeeBps" IS NOT NULL AND (r."providerShareMicros" + r."platformFeeMicros" + r."passThroughMicros" <> coalesce(c."amountMicros", 0)
      OR coalesce(s."amountMicros", 0) <> r."providerShareMicros" OR coalesce(f."amountMicros", 0) <> r."platformFeeMicros")`;
  for (const b of badSplits) add(9, "a run's revenue split does not add up to its charge or its transfers", { runId: b.id });

  // 10. Per provider: paid ≤ matured ≤ earned, and the earnings' cached balance = matured − paid.
  const badEarnings = await db.$queryRaw<{ id: string; earned: bigint; matured: bigint; paid: bigint; posted: bigint }[]>`
    WITH per AS (
      SELECT a."id", a."postedMicros" AS posted,
        coalesce(sum(t."amountMicros") FILTER (WHERE t."reason" = 'provider_share' AND t."kind" = 'PENDING'
          AND NOT EXISTS (SELECT 1 FROM "Transfer" v WHERE v."pendingId" = t."id" AND v."kind" <> 'POST_PENDING')), 0) AS earned,
        coalesce(sum(t."amountMicros") FILTER (WHERE t."reason" = 'provider_share' AND t."kind" = 'POST_PENDING'), 0)
          - coalesce(sum(t."amountMicros") FILTER (WHERE t."reason" = 'share_reversal'), 0) AS matured,
        coalesce(sum(t."amountMicros") FILTER (WHERE t."reason" = 'payout' AND t."kind" = 'POST_PENDING'), 0)
          - coalesce(sum(t."amountMicros") FILTER (WHERE t."reason" = 'payout_reversed'), 0) AS paid
      FROM "LedgerAccount" a LEFT JOIN "Transfer" t ON a."id" IN (t."debitAccountId", t."creditAccountId")
      WHERE a."kind" = 'PROVIDER_EARNINGS' GROUP BY a."id")
    SELECT * FROM per WHERE paid < 0 OR paid > matured OR matured > earned OR posted <> matured - paid`;
  for (const b of badEarnings) add(10, "a provider's earnings do not add up (paid ≤ matured ≤ earned, balance = matured − paid)", { accountId: b.id, earned: String(b.earned), matured: String(b.matured), paid: String(b.paid), posted: String(b.posted) });

  // 9 (exchange). A settled contract's share + fee = the escrow posted for it, and no contract is charged more than its price.
  const badContracts = await db.$queryRaw<{ id: string }[]>`
    SELECT c."id" FROM "Contract" c
    LEFT JOIN (SELECT "contractId", sum("amountMicros") AS charged FROM "Transfer" WHERE "reason" = 'work_escrow' AND "kind" = 'POST_PENDING' AND "contractId" IS NOT NULL GROUP BY 1) e ON e."contractId" = c."id"
    LEFT JOIN "Transfer" s ON s."idempotencyKey" = 'contract:' || c."id" || ':share'
    LEFT JOIN "Transfer" f ON f."idempotencyKey" = 'contract:' || c."id" || ':fee'
    WHERE coalesce(e.charged, 0) > c."priceMicros"
      OR ((s."id" IS NOT NULL OR f."id" IS NOT NULL) AND coalesce(s."amountMicros", 0) + coalesce(f."amountMicros", 0) <> coalesce(e.charged, 0))`;
  for (const b of badContracts) add(9, "a contract's share and fee do not add up to its charge, or it was charged more than its price", { contractId: b.id });

  // 11. Every provider share belongs to one settled, charged run or one settled contract.
  const orphanShares = await db.$queryRaw<{ id: string }[]>`
    SELECT t."id" FROM "Transfer" t LEFT JOIN "Run" r ON r."id" = t."runId" LEFT JOIN "Contract" c ON c."id" = t."contractId"
    WHERE t."reason" = 'provider_share' AND t."kind" = 'PENDING'
      AND (t."contractId" IS NULL AND (r."id" IS NULL OR r."status" NOT IN ('SUCCEEDED', 'CANCELED') OR r."priceMicros" = 0 OR t."idempotencyKey" <> 'run:' || r."id" || ':share')
        OR t."contractId" IS NOT NULL AND (c."id" IS NULL OR c."settledAt" IS NULL OR t."runId" IS NOT NULL OR t."idempotencyKey" <> 'contract:' || c."id" || ':share'))`;
  for (const o of orphanShares) add(11, "a provider share without its settled run or contract", { transferId: o.id });

  return violations;
}
