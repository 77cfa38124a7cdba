import type { DbTx } from "@/lib/db/client";
import { after, afterWrote, Statement, type Steps } from "@/lib/db/statement";
import { ApiError } from "@/lib/http/errors";
import { formatUsd } from "@/lib/money/format";

// Monthly budgets (SPEC §4 "Budgets"): a workspace's spend cap and an API
// key's spend limit, enforced with the run's hold. Accepting a run reserves
// its maximum price in this month's counter of each scope with ONE conditional
// upsert per scope, steps of the accept's one statement (reserveBudgetSteps),
// which refuse to go past the cap (the row lock makes concurrent reservations
// queue, and each re-checks the latest row); settling
// moves the charge from held to spent. Counters exist for every workspace and
// key that runs, capped or not, so a cap set mid-month counts what was already
// spent. Lock order: the workspace's counter, then the key's, then the wallet.

export const WORKSPACE_SCOPE = "workspace";

/** The first day of `at`'s UTC month, the key of a month's counters. */
export const monthOf = (at: Date) => new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), 1));

export type BudgetHolder = { workspaceId: string; apiKeyId: string | null };
type Refusal = "spend_cap_reached" | "key_spend_limit_reached";

/** What a reservation's steps report in the statement's result row (columns of `reserveBudgetSteps`). */
export type BudgetResult = { budgetCapMicros: bigint | null; keyLimitMicros: bigint | null; budgetReserved: boolean; keyReserved: boolean };

/**
 * The steps that reserve `amount` (a placeholder) in this month's counters, for one
 * data-modifying statement: the caps' read, then ONE conditional upsert per scope,
 * the workspace's then the key's (the lock order), each only after the step before
 * it (`prev`, a CTE) returned a row. A step past its cap writes nothing, and the
 * steps after it do nothing. `capRequired` (METERED) refuses a workspace without a
 * cap. The last step is `budget_key` with a key, else `budget_ws`.
 */
export function reserveBudgetSteps(p: Statement, holder: BudgetHolder, amount: string, opts: { capRequired: boolean; at: Date; prev?: string }): Steps & { last: string } {
  const ws = p.param(holder.workspaceId, "text");
  const month = p.param(monthOf(opts.at).toISOString().slice(0, 10), "date");
  const key = holder.apiKeyId === null ? undefined : p.param(holder.apiKeyId, "text");
  const ctes = [
    `budget_caps AS (SELECT w."monthlySpendCapMicros" AS ws_cap, ${key ? `(SELECT k."monthlySpendLimitMicros" FROM "ApiKey" k WHERE k."id" = ${key} AND k."workspaceId" = w."id")` : "NULL::bigint"} AS key_cap
      FROM "Workspace" w WHERE w."id" = ${ws})`,
  ];
  const reserve = (name: string, scope: string, cap: string, prev: string | undefined, required: boolean) =>
    `${name} AS (INSERT INTO "SpendCounter" ("workspaceId", "scope", "month", "spentMicros", "heldMicros")
      SELECT ${ws}, ${scope}, ${month}, 0, ${amount} FROM budget_caps c
      WHERE ${afterWrote(prev)} AND ${required ? `c.${cap} IS NOT NULL AND ${amount} <= c.${cap}` : `(c.${cap} IS NULL OR ${amount} <= c.${cap})`}
      ON CONFLICT ("workspaceId", "scope", "month") DO UPDATE SET "heldMicros" = "SpendCounter"."heldMicros" + EXCLUDED."heldMicros"
      WHERE (SELECT ${cap} FROM budget_caps) IS NULL OR "SpendCounter"."spentMicros" + "SpendCounter"."heldMicros" + EXCLUDED."heldMicros" <= (SELECT ${cap} FROM budget_caps)
      RETURNING 1)`;
  ctes.push(reserve("budget_ws", p.param(WORKSPACE_SCOPE, "text"), "ws_cap", opts.prev, opts.capRequired));
  if (key) ctes.push(reserve("budget_key", key, "key_cap", "budget_ws", false));
  const columns = [
    `(SELECT ws_cap FROM budget_caps) AS "budgetCapMicros"`,
    `(SELECT key_cap FROM budget_caps) AS "keyLimitMicros"`,
    `EXISTS (SELECT 1 FROM budget_ws) AS "budgetReserved"`,
    `${key ? "EXISTS (SELECT 1 FROM budget_key)" : "true"} AS "keyReserved"`,
  ];
  return { ctes, columns, last: key ? "budget_key" : "budget_ws" };
}

/**
 * Why a reservation's steps wrote nothing, as the 402 naming the budget (undefined when both scopes reserved).
 * Reads the scope's month (after the statement rolled back): on this refusal path only.
 */
export async function budgetRefusal(tx: DbTx, holder: BudgetHolder, amount: bigint, r: BudgetResult, opts: { capRequired: boolean; at: Date }): Promise<ApiError | undefined> {
  if (opts.capRequired && r.budgetCapMicros === null) {
    return new ApiError("spend_cap_reached", "A metered workspace needs a monthly spend cap before it can run agents: set one on the Workspace page.", { neededMicros: Number(amount), capMicros: null });
  }
  if (!r.budgetReserved) return capReached(tx, holder, WORKSPACE_SCOPE, "spend_cap_reached", r.budgetCapMicros, amount, opts.at);
  if (!r.keyReserved) return capReached(tx, holder, holder.apiKeyId!, "key_spend_limit_reached", r.keyLimitMicros, amount, opts.at);
  return undefined;
}

async function capReached(tx: DbTx, holder: BudgetHolder, scope: string, refusal: Refusal, cap: bigint | null, amount: bigint, at: Date): Promise<ApiError> {
  const used = await monthSpend(tx, holder.workspaceId, scope, at);
  const what = refusal === "spend_cap_reached" ? "the workspace's monthly spend cap" : "this API key's monthly spend limit";
  return new ApiError(
    refusal,
    `This run may cost up to ${formatUsd(Number(amount))}, which would pass ${what} of ${formatUsd(Number(cap))} (${formatUsd(Number(used.spentMicros + used.heldMicros))} spent or reserved this month).`,
    { neededMicros: Number(amount), capMicros: Number(cap), spentMicros: Number(used.spentMicros), heldMicros: Number(used.heldMicros), resetsAt: nextMonth(at).toISOString() },
  );
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
