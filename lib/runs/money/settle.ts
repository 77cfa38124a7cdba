import { after, type Statement } from "@/lib/db/statement";
import { billSettledRunCtes } from "@/lib/billing/settlement";
import { settleBudgetCtes } from "@/lib/ledger/budgets";
import { modelCostCte, resolveHoldCtes } from "@/lib/ledger/ledger";
import { recordUsageCte } from "@/lib/usage/rollup";
import type { RunOutcome, SettledRun } from "../outcome";

/**
 * What a run is charged (SQL, in its finishing statement): its price, never
 * more than was held at acceptance (the platform absorbs the rest), and
 * nothing when no hold was placed (a free run) or none is left to resolve.
 */
export const chargeOf = (held: string, priceMicros: string) => `least(${priceMicros}, coalesce((SELECT "amountMicros" FROM ${held}), 0))`;

/**
 * Charging runs (SPEC §3), at their end, as CTEs of the statement that records
 * the final state (so it happens exactly once, with that state), when `when`
 * holds (the run was ended by this statement): the budgets' reservation moved
 * to spent, the hold `held` posted for `charged` or voided (FAILED, or nothing
 * to pay), the day's usage row, billing (meter event, auto top-up) — row locks
 * in that order, after `after`'s — and the model cost the platform pays, booked
 * from revenue to provider_cost for every run, failed ones too. Returns the
 * CTEs whose rows are the transfers written (their `kind`), and every CTE that
 * locks rows, in order (a third-party run's earnings come after them).
 */
export function settlementCtes(s: Statement, run: SettledRun, outcome: Omit<RunOutcome, "priceMicros">, o: { held: string; charged: string; when: string; after: string[] }): { transfers: string[]; locks: string[] } {
  const { held, charged, when } = o;
  // Each step waits for every one before it, not only the last: a step that finds no row to change does not run its
  // own wait, so a shorter chain could let an earlier step (a RunSlot) take its lock after a later one's.
  const chain = [...o.after];
  chain.push(...settleBudgetCtes(s, run, { held, charged, when: `${when} AND ${after(...chain)}` }));
  const { wallet, resolution } = resolveHoldCtes(s, { held, charged, runId: run.id, when: `${when} AND ${after(...chain)}` });
  chain.push(wallet, resolution);
  chain.push(recordUsageCte(s, run, outcome, { charged, when, after: chain }));
  chain.push(billSettledRunCtes(s, run, { charged, wallet, when, after: chain }));
  return { transfers: [modelCostCte(s, { runId: run.id, workspaceId: run.workspaceId, amount: outcome.providerCostMicros, when }), resolution], locks: chain };
}
