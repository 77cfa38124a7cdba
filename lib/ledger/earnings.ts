import { randomUUID } from "node:crypto";
import type { Db } from "@/lib/db/client";
import { after, type Statement } from "@/lib/db/statement";
import { sharedCaches } from "@/lib/cache/shared-cache";
import { env } from "@/lib/env";
import { LedgerError, postHold, SYSTEM_ACCOUNTS } from "@/lib/ledger/ledger";
import type { ProviderTerms } from "@/lib/runs/outcome";
import { now as clockNow } from "@/lib/time/clock";

// A package provider's earnings (SPEC §13, issue 19): its share of each of its
// runs' charges, in its own ledger account (acct_earn_<providerId>, kind
// PROVIDER_EARNINGS, never negative). The states are transfers, not a column:
// pending = an open `provider_share` hold revenue → earnings (written by the
// run's finishing statement, maturing AGORA_EARNINGS_MATURITY_DAYS later);
// matured = that hold posted (the account's available balance); paid = a
// `payout` transfer earnings → stripe_clearing (lib/payouts). The platform's fee
// goes revenue → platform_fees, posted at once. Built-in packages (the Agora
// provider) have no split.

export const earningsAccountId = (providerId: string) => `acct_earn_${providerId}`;

const TERMS = { ttlMs: 60_000, maxEntries: 1_000 };
const termsCache = () => sharedCaches().cache<ProviderTerms>("provider-terms", TERMS);

/**
 * A third-party package provider's part of its runs' price terms: its earnings
 * account (created here, at its first run's terms, so every finishing statement
 * finds it) and the platform's fee (its own, or AGORA_PLATFORM_FEE_BPS). Cached
 * per process; an admin changing the fee calls forgetProviderTerms.
 */
export function providerTerms(db: Db, providerId: string): Promise<ProviderTerms> {
  return termsCache().get(providerId, async () => {
    const id = earningsAccountId(providerId);
    const [provider] = await Promise.all([
      db.provider.findUniqueOrThrow({ where: { id: providerId }, select: { platformFeeBps: true } }),
      db.$executeRaw`INSERT INTO "LedgerAccount" ("id", "kind", "providerId", "code", "mayGoNegative")
        VALUES (${id}, 'PROVIDER_EARNINGS', ${providerId}, ${`earnings:${providerId}`}, false) ON CONFLICT DO NOTHING`,
    ]);
    return { id: providerId, earningsAccountId: id, feeBps: provider.platformFeeBps ?? env().AGORA_PLATFORM_FEE_BPS };
  });
}

/** Drops a provider's cached terms in every process (after its fee changed, committed). */
export function forgetProviderTerms(providerId: string): Promise<void> {
  return termsCache().invalidate({ keys: [providerId] });
}

/** When a share earned at `finishedAt` becomes payable. */
export const maturesAt = (finishedAt: Date) => new Date(finishedAt.getTime() + env().AGORA_EARNINGS_MATURITY_DAYS * 86_400_000);

/**
 * The split's columns (SQL for the finishing UPDATE of a third-party run):
 * `charged` is what the run is charged, `gross` the provider's gross (base fee +
 * billable events when SUCCEEDED, events when CANCELED, 0 when FAILED). The
 * provider is paid first — gross is capped by the charge — the fee is rounded
 * half up, and share + fee + pass-through = charge exactly.
 */
export function splitColumns(s: Statement, charged: string, gross: bigint, feeBps: number): string {
  const g = `least(${s.param(gross, "bigint")}, ${charged})`;
  const fee = `((${g}) * ${s.param(feeBps, "int")} + 5000) / 10000`;
  return `"platformFeeBps" = ${s.param(feeBps, "int")}, "providerShareMicros" = (${g}) - (${fee}), "platformFeeMicros" = ${fee}, "passThroughMicros" = ${charged} - (${g}), `;
}

/**
 * CTEs of a third-party run's finishing statement, when `when` holds, after every
 * lock in `after` (the earnings row is the statement's last lock): the provider's
 * share held revenue → earnings until it matures (`share`: SQL, the run's
 * "providerShareMicros"), and the platform's fee posted revenue → platform_fees.
 * Returns the CTEs whose rows are the transfers written.
 */
export function earningsCtes(s: Statement, o: { runId: string; workspaceId: string; provider: ProviderTerms; share: string; fee: string; maturesAt: Date; when: string; after: string[] }): string[] {
  const insert = (name: string, kind: "PENDING" | "POSTED", credit: string, amount: string, key: string, reason: string, matures: string, from: string) =>
    s.with(
      name,
      `INSERT INTO "Transfer" ("id", "kind", "debitAccountId", "creditAccountId", "amountMicros", "idempotencyKey", "workspaceId", "runId", "reason", "maturesAt", "providerId")
       SELECT ${s.param(randomUUID())}, '${kind}', ${s.param(SYSTEM_ACCOUNTS.revenue)}, ${credit}, ${amount}, ${s.param(key)}, ${s.param(o.workspaceId)}, ${s.param(o.runId)},
         '${reason}', ${matures}, ${s.param(o.provider.id)} ${from}
       RETURNING "kind", "reason"`,
    );
  const account = s.with(
    "earnings_pending",
    `UPDATE "LedgerAccount" SET "pendingCreditsMicros" = "pendingCreditsMicros" + ${o.share}
     WHERE "id" = ${s.param(o.provider.earningsAccountId)} AND ${o.share} > 0 AND ${o.when} AND ${after(...o.after)} RETURNING "id"`,
  );
  return [
    insert("provider_share", "PENDING", `a."id"`, o.share, `run:${o.runId}:share`, "provider_share", s.utc(o.maturesAt), `FROM ${account} a`),
    insert("platform_fee", "POSTED", s.param(SYSTEM_ACCOUNTS.platformFees), o.fee, `run:${o.runId}:fee`, "platform_fee", "NULL", `WHERE ${o.fee} > 0 AND ${o.when}`),
  ];
}

/**
 * The `earnings.mature` job: posts every provider share whose maturity has come
 * (as the clock says) — pending → matured — each in its own transaction, up to
 * `batch`. A share a refund resolved first is skipped. Returns how many matured.
 */
export async function matureEarnings(db: Db, at?: Date, batch = 500): Promise<number> {
  const due = await db.$queryRaw<{ id: string; amountMicros: bigint }[]>`
    SELECT p."id", p."amountMicros" FROM "Transfer" p
    WHERE p."kind" = 'PENDING' AND p."reason" = 'provider_share' AND p."maturesAt" <= ${at ?? (await clockNow(db))}
      AND NOT EXISTS (SELECT 1 FROM "Transfer" r WHERE r."pendingId" = p."id")
    ORDER BY p."maturesAt" LIMIT ${batch}`;
  let matured = 0;
  for (const { id, amountMicros } of due) {
    try {
      await db.$transaction((tx) => postHold(tx, id, BigInt(amountMicros)));
      matured++;
    } catch (err) {
      if (!(err instanceof LedgerError && err.code === "hold_resolved")) throw err; // refunded meanwhile: fine
    }
  }
  return matured;
}
