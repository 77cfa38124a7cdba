import { randomUUID } from "node:crypto";
import type { DbTx } from "@/lib/db/client";
import { afterWrote, type Statement, type Steps } from "@/lib/db/statement";
import type { ApiError } from "@/lib/http/errors";
import { metrics } from "@/lib/observability/metrics";
import { budgetRefusal, reserveBudgetSteps, type BudgetHolder, type BudgetResult } from "./budgets";
import { SYSTEM_ACCOUNTS, workspaceBalance } from "./ledger";

// A run's credit hold at acceptance (SPEC §3, §4), as steps of the accept's one
// data-modifying statement (lib/runs/accept-run.ts): the budget reservation
// (lib/ledger/budgets.ts), then — PREPAID — ONE conditional UPDATE of the
// wallet's pending debits, only if its available balance covers the amount, and
// the PENDING transfer to revenue, keyed `run:<id>:hold`. METERED: the monthly
// spend cap plays the role of the balance (the reservation refuses past it, and
// a workspace without one), and the hold is on stripe_clearing, the money
// Stripe will collect, with no wallet row to update. Each step runs only after
// the one before it returned a row, which also keeps the lock order (counters,
// then the wallet); a refused step leaves the rest undone, and the caller
// rolls back whatever came before.

export type RunHold = BudgetHolder & { runId: string; amountMicros: bigint; metered: boolean; at: Date; expiresAt: Date };

/** What the hold's steps report in the statement's result row. */
export type RunHoldResult = BudgetResult & { held: boolean };

/** The hold's steps, after `prev` (a CTE that must have returned a row; none: unconditional). The last is `hold`. */
export function runHoldSteps(p: Statement, h: RunHold, prev?: string): Steps & { last: string } {
  const amount = p.param(h.amountMicros, "bigint");
  const budget = reserveBudgetSteps(p, h, amount, { capRequired: h.metered, at: h.at, prev });
  const ctes = [...budget.ctes];
  let debit: string;
  if (h.metered) debit = `(SELECT ${p.param(SYSTEM_ACCOUNTS.stripeClearing, "text")} AS "id" WHERE ${afterWrote(budget.last)}) d`;
  else {
    ctes.push(`hold_wallet AS (UPDATE "LedgerAccount" SET "pendingDebitsMicros" = "pendingDebitsMicros" + ${amount}
      WHERE "workspaceId" = ${p.param(h.workspaceId, "text")} AND "postedMicros" - "pendingDebitsMicros" >= ${amount} AND ${afterWrote(budget.last)} RETURNING "id")`);
    debit = "hold_wallet d";
  }
  ctes.push(`hold AS (INSERT INTO "Transfer" ("id", "kind", "debitAccountId", "creditAccountId", "amountMicros", "idempotencyKey", "workspaceId", "runId", "reason", "expiresAt")
    SELECT ${p.param(randomUUID(), "text")}, 'PENDING'::"TransferKind", d."id", ${p.param(SYSTEM_ACCOUNTS.revenue, "text")}, ${amount}, ${p.param(`run:${h.runId}:hold`, "text")}, ${p.param(h.workspaceId, "text")}, ${p.param(h.runId, "text")}, 'run_charge', ${p.param(h.expiresAt.toISOString(), "timestamp")}
    FROM ${debit} RETURNING 1)`);
  return { ctes, columns: [...budget.columns, `EXISTS (SELECT 1 FROM hold) AS "held"`], last: "hold" };
}

/** After the statement: counts the hold it placed (as every ledger write is counted). */
export function countRunHold(): void {
  metrics().ledgerTransfers.inc({ kind: "PENDING" });
}

/**
 * Why the hold's steps placed no hold, read after the statement rolled back: the
 * budget's refusal, or the wallet's available balance (`insufficient`, which words the 402).
 */
export async function runHoldRefusal(tx: DbTx, h: RunHold, r: RunHoldResult, insufficient: (availableMicros: bigint) => ApiError): Promise<ApiError> {
  const refused = await budgetRefusal(tx, h, h.amountMicros, r, { capRequired: h.metered, at: h.at });
  return refused ?? insufficient((await workspaceBalance(tx, h.workspaceId)).availableMicros);
}
