import type { DbTx } from "@/lib/db/client";
import { after, Statement } from "@/lib/db/statement";
import { ApiError } from "@/lib/http/errors";
import { formatUsd } from "@/lib/money/format";

// Monthly budgets (SPEC §4 "Budgets"): a workspace's spend cap and an API
// key's spend limit, enforced with the run's hold. Accepting a run reserves
// its maximum price in this month's counter of each scope with ONE conditional
// upsert per scope, which refuses to go past the cap (the row lock makes
// concurrent reservations queue, and each re-checks the latest row); settling
// moves the charge from held to spent. Counters exist for every workspace and
// key that runs, capped or not, so a cap set mid-month counts what was already
// spent. Lock order: the workspace's counter, then the key's, then the wallet.

export const WORKSPACE_SCOPE = "workspace";

/** The first day of `at`'s UTC month, the key of a month's counters. */
export const monthOf = (at: Date) => new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), 1));

export type BudgetHolder = { workspaceId: string; apiKeyId: string | null };
type Scope = { scope: string; capMicros: bigint | null; refusal: "spend_cap_reached" | "key_spend_limit_reached" };

async function scopesOf(tx: DbTx, holder: BudgetHolder): Promise<Scope[]> {
  const [caps] = await tx.$queryRaw<{ ws: bigint | null; key: bigint | null }[]>`
    SELECT w."monthlySpendCapMicros" AS ws, k."monthlySpendLimitMicros" AS key
    FROM "Workspace" w LEFT JOIN "ApiKey" k ON k."id" = ${holder.apiKeyId} AND k."workspaceId" = w."id"
    WHERE w."id" = ${holder.workspaceId}`;
  const scopes: Scope[] = [{ scope: WORKSPACE_SCOPE, capMicros: caps?.ws ?? null, refusal: "spend_cap_reached" }];
  if (holder.apiKeyId) scopes.push({ scope: holder.apiKeyId, capMicros: caps?.key ?? null, refusal: "key_spend_limit_reached" });
  return scopes;
}

/** Reserves `amount` in this month's counters; 402 naming the budget when it would pass a cap (nothing is written then). */
export async function reserveBudget(tx: DbTx, holder: BudgetHolder, amount: bigint, opts: { capRequired?: boolean; at?: Date } = {}): Promise<void> {
  const at = opts.at ?? new Date();
  const month = monthOf(at);
  const scopes = await scopesOf(tx, holder);
  if (opts.capRequired && scopes[0]!.capMicros === null) {
    throw new ApiError("spend_cap_reached", "A metered workspace needs a monthly spend cap before it can run agents: set one on the Workspace page.", { neededMicros: Number(amount), capMicros: null });
  }
  for (const s of scopes) {
    const cap = s.capMicros;
    const reserved = await tx.$queryRaw<{ ok: number }[]>`
      INSERT INTO "SpendCounter" ("workspaceId", "scope", "month", "spentMicros", "heldMicros")
      SELECT ${holder.workspaceId}, ${s.scope}, ${month}::date, 0, ${amount} WHERE ${cap}::bigint IS NULL OR ${amount} <= ${cap}::bigint
      ON CONFLICT ("workspaceId", "scope", "month") DO UPDATE SET "heldMicros" = "SpendCounter"."heldMicros" + EXCLUDED."heldMicros"
      WHERE ${cap}::bigint IS NULL OR "SpendCounter"."spentMicros" + "SpendCounter"."heldMicros" + EXCLUDED."heldMicros" <= ${cap}::bigint
      RETURNING 1 AS ok`;
    if (reserved.length) continue;
    const used = await monthSpend(tx, holder.workspaceId, s.scope, at);
    const what = s.refusal === "spend_cap_reached" ? "the workspace's monthly spend cap" : "this API key's monthly spend limit";
    throw new ApiError(
      s.refusal,
      `This run may cost up to ${formatUsd(Number(amount))}, which would pass ${what} of ${formatUsd(Number(cap))} (${formatUsd(Number(used.spentMicros + used.heldMicros))} spent or reserved this month).`,
      { neededMicros: Number(amount), capMicros: Number(cap), spentMicros: Number(used.spentMicros), heldMicros: Number(used.heldMicros), resetsAt: nextMonth(at).toISOString() },
    );
  }
}

/** At settlement: the reservation made in `acceptedAt`'s month is released and `charged` counted as spent. */
export async function settleBudget(tx: DbTx, holder: BudgetHolder, heldMicros: bigint, chargedMicros: bigint, acceptedAt: Date): Promise<void> {
  const s = new Statement();
  const held = s.with("held", `SELECT ${s.param(heldMicros, "bigint")} AS "amountMicros", ${s.utc(acceptedAt)} AS "createdAt"`);
  settleBudgetCtes(s, holder, { held, charged: s.param(chargedMicros, "bigint"), when: "true" });
  await tx.$executeRawUnsafe(s.text("SELECT 1"), ...s.values);
}

/**
 * `settleBudget` as CTEs of a run's finishing statement (lib/runs/finish-run.ts),
 * when `when` holds: the hold `held`'s reservation released in the month it
 * was placed and `charged` counted as spent — the workspace's counter, then
 * the key's, one row at a time in lock order (a hold placed before counters
 * existed has no row: nothing to release). Returns the CTEs' names in order.
 */
export function settleBudgetCtes(s: Statement, holder: BudgetHolder, o: { held: string; charged: string; when: string }): string[] {
  const scopes = holder.apiKeyId ? [WORKSPACE_SCOPE, holder.apiKeyId] : [WORKSPACE_SCOPE];
  const names: string[] = [];
  for (const [i, scope] of scopes.entries()) {
    names.push(
      s.with(
        `budget_${i}`,
        `UPDATE "SpendCounter" c SET "heldMicros" = c."heldMicros" - h."amountMicros", "spentMicros" = c."spentMicros" + ${o.charged}
         FROM ${o.held} h WHERE c."workspaceId" = ${s.param(holder.workspaceId)} AND c."scope" = ${s.param(scope)} AND c."month" = date_trunc('month', h."createdAt")::date
           AND ${o.when} AND ${after(...names)}
         RETURNING 1`,
      ),
    );
  }
  return names;
}

export type MonthSpend = { spentMicros: bigint; heldMicros: bigint };

/** What a scope has spent and holds this month (zero before its first run). */
export async function monthSpend(tx: DbTx, workspaceId: string, scope: string, at = new Date()): Promise<MonthSpend> {
  const row = await tx.spendCounter.findUnique({
    where: { workspaceId_scope_month: { workspaceId, scope, month: monthOf(at) } },
    select: { spentMicros: true, heldMicros: true },
  });
  return row ?? { spentMicros: 0n, heldMicros: 0n };
}

export const nextMonth = (at: Date) => new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth() + 1, 1));
