import { db } from "@/lib/db/client";
import { sseResponse } from "@/lib/http/sse";
import { runEventsAfter, type RunEventJson } from "./run-queries";
import { runNotifications } from "./run-notifications";
import { TERMINAL_STATUSES } from "./schemas";

// GET /api/v1/runs/:id/events (and POST /api/v1/runs with "stream": true) as
// Server-Sent Events (SPEC §3 "Observe"): replay
// from Last-Event-ID, then live until the closing `usage` event. Events come
// from the database, so the process executing the run does not matter; a
// NOTIFY wakes the stream at once, a short timer covers a lost notification.

const POLL_MS = 1_000;
const PAGE = 500;

export function parseLastEventId(value: string | null | undefined): number {
  const n = Number(value);
  return value && Number.isSafeInteger(n) && n >= 0 ? n : 0;
}

/** Whether an Accept header asks for Server-Sent Events (`text/event-stream` listed, not with q=0). */
export function acceptsEventStream(accept: string | null): boolean {
  return (accept ?? "").split(",").some((range) => {
    const [type, ...params] = range.split(";").map((part) => part.trim().toLowerCase());
    return type === "text/event-stream" && !params.some((p) => /^q=0(\.0*)?$/.test(p));
  });
}

type StreamOptions = {
  /** Replay the events after this sequence number (Last-Event-ID); 0: from the first. */
  after: number;
  /** The request's signal: the client going away ends the stream (not the run). */
  signal: AbortSignal;
  /** Runs once when the stream ends: closed, failed, or cancelled by the client. */
  release?: () => void;
  /** An event sent before the run's own, without an `id:` (it is not in the run's log): POST /runs' `run`. */
  first?: { event: string; data: unknown };
};

/**
 * A run's events after `after`, page by page as they are written, until its closing `usage` event (or
 * the run ended without one, or `signal` aborts). An empty page is a wait that brought nothing new (a
 * consumer's chance to send a heartbeat). Woken by the run's notifications, re-read on a short timer.
 */
export async function* followRunEvents(runId: string, { after, signal }: { after: number; signal: AbortSignal }): AsyncGenerator<RunEventJson[], void, undefined> {
  const subscription = await runNotifications().subscribe(runId);
  let last = after;
  try {
    // Whether the run may have ended without us seeing its closing event: on
    // the first read, and after a wait that no notification cut short.
    let mayHaveEnded = true;
    while (!signal.aborted) {
      const events = await runEventsAfter(runId, last, PAGE);
      if (events.length) last = events.at(-1)!.seq;
      yield events;
      if (events.some((e) => e.type === "usage")) return;
      if (events.length === PAGE) continue; // more are waiting
      if (!events.length && mayHaveEnded) {
        // Nothing new: a run that already ended (and whose usage the consumer has) ends the stream.
        const run = await db.run.findUnique({ where: { id: runId }, select: { status: true } });
        if (!run || (TERMINAL_STATUSES.has(run.status) && (await runEventsAfter(runId, last, 1)).length === 0)) return;
      }
      mayHaveEnded = !(await subscription.next(POLL_MS, signal));
    }
  } finally {
    subscription.close();
  }
}

export function runEventStream(runId: string, { after, signal, release, first }: StreamOptions): Response {
  // The client going away ends the stream, not the run.
  return sseResponse((stop) => followRunEvents(runId, { after, signal: stop }), { signal, release, first });
}
