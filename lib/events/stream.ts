import { env } from "@/lib/env";
import { ApiError } from "@/lib/http/errors";
import { sseResponse } from "@/lib/http/sse";
import { runNotifications } from "@/lib/runs/run-notifications";
import { eventsQuerySchema, listEvents, type FeedEvent } from "./feed";

// GET /api/v1/events/stream: the workspace's event feed (lib/events/feed.ts) as Server-Sent Events.
// It replays the events after Last-Event-ID (or ?after=), then follows live ones: each read is
// "seq > the last one sent" from the feed, so a notification is only a wake-up (its payload is never
// trusted) and nothing is sent twice or skipped. Woken by `agora_workspace_events` (the sequencer
// NOTIFYs at commit when a process listens: lib/runs/run-notifications.ts), re-read on a slow timer
// in case a signal was lost; with REDIS_URL set nothing signals workspace events, so the timer is short.

const PAGE = 500;
const SAFETY_MS = 5_000;
const UNSIGNALLED_MS = 2_000;

/** `?after=<seq>&types=run.*,balance.changed` (Last-Event-ID, when sent, wins over `after`). */
export const eventStreamQuerySchema = eventsQuerySchema.pick({ after: true, types: true });

/** The seq to resume after: the Last-Event-ID header (the browser's reconnect) over `?after=`; a bad header is a 400. */
export function resumeAfter(lastEventId: string | null, after: number): number {
  if (lastEventId === null) return after;
  const parsed = eventsQuerySchema.shape.after.safeParse(lastEventId.trim() === "" ? undefined : lastEventId);
  if (!parsed.success || !/^\s*\d+\s*$/.test(lastEventId)) {
    throw new ApiError("validation_failed", "Last-Event-ID must be a whole number: the seq of the last event you received.", {
      issues: [{ path: "Last-Event-ID", message: "Expected the seq of an event (a whole number, 0 or more)." }],
    });
  }
  return parsed.data;
}

/** The workspace's events after `after` matching `types`, page by page as they commit, until `signal` aborts; an empty page is a wait that brought nothing. */
export async function* followWorkspaceEvents(workspaceId: string, { after, types, signal }: { after: number; types: readonly string[]; signal: AbortSignal }): AsyncGenerator<FeedEvent[], void, undefined> {
  const notifications = runNotifications();
  const subscription = await notifications.subscribeWorkspace(workspaceId); // before the first read: no commit in between is missed
  let last = after;
  try {
    while (!signal.aborted) {
      const page = await listEvents(workspaceId, { after: last, limit: PAGE, types: [...types] });
      last = page.nextAfter;
      yield page.data;
      if (page.hasMore) continue;
      const signalled = !env().REDIS_URL && notifications.listening();
      await subscription.next(signalled ? SAFETY_MS : UNSIGNALLED_MS, signal);
    }
  } finally {
    subscription.close();
  }
}

export function workspaceEventStream(workspaceId: string, { after, types, signal, release }: { after: number; types: readonly string[]; signal: AbortSignal; release: () => void }): Response {
  return sseResponse((stop) => followWorkspaceEvents(workspaceId, { after, types, signal: stop }), { signal, release, retryMs: 3000 });
}
