import { ApiError } from "@/lib/http/errors";

// The event feed's types (issue 22): what a workspace's events can be. Each is written by a
// trigger on the change it reports (migration i22_events), so this list and those triggers
// change together; tests/integration/events-feed.int.test.ts checks that every type the
// triggers can write is here. Webhook and stream filters are checked against it.

export const EVENT_TYPES = [
  "run.started",
  "run.succeeded",
  "run.failed",
  "run.canceled",
  "balance.changed",
  "balance.low",
  "topup.succeeded",
  "payout.pending",
  "payout.sent",
  "payout.failed",
  "payout.reversed",
  "payout.partially_reversed",
  "bid.placed",
  "bid.withdrawn",
  "bid.won",
  "bid.lost",
  "work.posted",
  "work.awarded",
  "work.delivered",
  "work.checked",
  "work.accepted",
  "work.settled",
  "work.refunded",
  "work.disputed",
  "work.resolved",
  "work.canceled",
  "package.draft",
  "package.validated",
  "package.submitted",
  "package.published",
  "package.rejected",
  "package.suspended",
  "package.yanked",
  // Written from code, not by a trigger (lib/webhooks): a test event for one endpoint; an endpoint disabled after failing for days.
  "webhook.test",
  "webhook.disabled",
] as const;

export type EventType = (typeof EVENT_TYPES)[number];

/** balance.low: the available balance fell under this ($0.50); the trigger's constant, and the console's low-balance banner. */
export const LOW_BALANCE_MICROS = 500_000;

const KNOWN = new Set<string>(EVENT_TYPES);
const GROUPS = new Set(EVENT_TYPES.map((t) => t.slice(0, t.indexOf("."))));

/**
 * A filter: exact types or whole groups (`run.*`). An unknown one is a 400 listing the valid
 * ones, at `path` (e.g. "types" or "eventTypes.2"). Returns the filter as given, deduplicated.
 */
export function parseEventTypes(filter: readonly string[], path = "types"): string[] {
  const unknown = filter.filter((t) => !KNOWN.has(t) && !(t.endsWith(".*") && GROUPS.has(t.slice(0, -2))));
  if (unknown.length) {
    throw new ApiError("validation_failed", `Unknown event type${unknown.length > 1 ? "s" : ""}: ${unknown.join(", ")}. Valid: ${[...GROUPS].map((g) => `${g}.*`).join(", ")}, or one of ${EVENT_TYPES.join(", ")}.`, {
      issues: unknown.map((t) => ({ path, message: `Unknown event type "${t}".` })),
      validTypes: EVENT_TYPES,
    });
  }
  return [...new Set(filter)];
}

/** Whether an event of `type` passes `filter` (from parseEventTypes; empty = every type). */
export function matchesEventTypes(filter: readonly string[], type: string): boolean {
  return filter.length === 0 || filter.some((f) => f === type || (f.endsWith(".*") && type.startsWith(f.slice(0, -1))));
}
