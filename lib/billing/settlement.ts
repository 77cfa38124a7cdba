import { after, type Statement } from "@/lib/db/statement";
import { enqueueCte } from "./outbox";
import type { MeterEventPayload } from "./outbox-senders";

/**
 * Billing's part of a run's settlement, as CTEs of its finishing statement
 * (lib/runs/finish-run.ts), when `when` holds and something was charged
 * (`charged`, an SQL expression): a METERED workspace with a Stripe customer
 * gets the charge as a Billing Meter event in the Outbox; a PREPAID workspace
 * whose wallet balance after the charge (the `wallet` CTE's) is under its auto
 * top-up threshold gets one auto top-up per crossing (the conditional update
 * disarms it, so concurrent settlements trigger one; a credit that lifts the
 * balance back over the threshold re-arms it). The Workspace row, when
 * disarmed, is locked last: returns that CTE (for what locks after it).
 */
export function billSettledRunCtes(s: Statement, run: { id: string; workspaceId: string; finishedAt: Date }, o: { charged: string; wallet: string; when: string; after: string[] }): string {
  const workspace = s.param(run.workspaceId);
  const billable = `${o.when} AND ${o.charged} > 0 AND ${after(...o.after)}`;
  const meter: Omit<MeterEventPayload, "customer" | "valueMicros"> = { runId: run.id, timestamp: Math.floor(run.finishedAt.getTime() / 1000) };
  enqueueCte(s, "meter_event", {
    kind: "meter_event",
    workspaceId: run.workspaceId,
    idempotencyKey: `meter:${run.id}`,
    payload: `${s.param(JSON.stringify(meter), "jsonb")} || jsonb_build_object('customer', w."stripeCustomerId", 'valueMicros', (${o.charged})::text)`,
    source: `FROM "Workspace" w WHERE w."id" = ${workspace} AND w."paymentMode" = 'METERED' AND w."stripeCustomerId" IS NOT NULL AND ${billable}`,
  });
  const disarmed = s.with(
    "auto_top_up_disarmed",
    `UPDATE "Workspace" w SET "autoTopUpArmed" = false
     WHERE w."id" = ${workspace} AND w."paymentMode" <> 'METERED' AND w."autoTopUpArmed" AND w."autoTopUpAmountMicros" IS NOT NULL
       AND (SELECT "availableMicros" FROM ${o.wallet}) < w."autoTopUpThresholdMicros" AND ${billable}
     RETURNING w."autoTopUpAmountMicros" AS "amountMicros"`,
  );
  enqueueCte(s, "auto_top_up", {
    kind: "auto_top_up",
    workspaceId: run.workspaceId,
    idempotencyKey: `auto-top-up:${run.workspaceId}:${run.id}`,
    payload: `jsonb_build_object('amountMicros', d."amountMicros"::text)`, // an AutoTopUpPayload
    source: `FROM ${disarmed} d`,
  });
  return disarmed;
}
