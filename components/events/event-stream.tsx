"use client";

import { createContext, useContext, useEffect, useMemo, useRef, type ReactNode } from "react";
import type { FeedEvent } from "@/lib/events/feed";
import { EVENT_TYPES, matchesEventTypes } from "@/lib/events/types";

// The workspace's live events (GET /api/v1/events/stream), ONE connection per browser, not per tab:
// the tabs of a workspace elect a leader with the Web Locks API (whoever holds the lock
// `agora-events:<workspace>`); the leader holds the EventSource and relays each event to the other
// tabs over a BroadcastChannel of the same name. When the leader tab closes, its lock is released,
// the next waiting tab takes it and opens the stream after the last seq it saw (the server replays
// the missed events from the feed), so no event is lost or delivered twice. Every tab dispatches
// events to its own `useEventStream` listeners, skipping any seq it has already seen.

type Listener = { onEvent: { current: (event: FeedEvent) => void }; types: readonly string[] };
type Registry = { add(listener: Listener): () => void };

const Context = createContext<Registry | null>(null);

const STREAM_URL = "/api/v1/events/stream";
/** After the server refused the stream (a 4xx: signed out, too many streams), try again this much later. */
const REOPEN_MS = 15_000;

/**
 * Wraps the console; holds the one connection while `workspaceId` is set (signed in). `since`: the
 * workspace's last seq when the page was rendered — events after it are what the page has not shown.
 */
export function EventStreamProvider({ workspaceId, since = 0, children }: { workspaceId?: string | null; since?: number; children: ReactNode }) {
  const listeners = useRef(new Set<Listener>());
  const registry = useMemo<Registry>(() => ({ add: (l) => (listeners.current.add(l), () => void listeners.current.delete(l)) }), []);
  const initialSeq = useRef(since);

  useEffect(() => {
    if (!workspaceId || typeof BroadcastChannel === "undefined" || typeof EventSource === "undefined") return;
    const name = `agora-events:${workspaceId}`;
    const channel = new BroadcastChannel(name);
    const stop = new AbortController();
    let last = initialSeq.current;

    /** Hands an event to this tab's listeners once (by seq); whether it was new. */
    const deliver = (event: FeedEvent) => {
      if (event.seq <= last) return false;
      last = event.seq;
      for (const l of [...listeners.current]) if (matchesEventTypes(l.types, event.type)) l.onEvent.current(event);
      return true;
    };
    channel.onmessage = (m: MessageEvent<FeedEvent>) => void deliver(m.data);

    /** As the leader: the EventSource, from the last seq seen, until this tab goes away. */
    const lead = () =>
      new Promise<void>((resolve) => {
        let source: EventSource | undefined;
        let reopen: ReturnType<typeof setTimeout> | undefined;
        const open = () => {
          // After a drop, EventSource reconnects by itself sending Last-Event-ID (which wins over ?after=).
          source = new EventSource(`${STREAM_URL}?after=${last}`);
          const onEvent = (m: MessageEvent<string>) => {
            const event = JSON.parse(m.data) as FeedEvent;
            if (deliver(event)) channel.postMessage(event);
          };
          // Each SSE event is named by its type (`event: run.started`): EventSource dispatches it under that name.
          for (const type of EVENT_TYPES) source.addEventListener(type, onEvent);
          source.onerror = () => {
            if (source?.readyState === EventSource.CLOSED) reopen = setTimeout(open, REOPEN_MS); // refused: the browser gives up, we do not
          };
        };
        open();
        stop.signal.addEventListener(
          "abort",
          () => {
            clearTimeout(reopen);
            source?.close();
            resolve();
          },
          { once: true },
        );
      });

    if (navigator.locks) {
      navigator.locks.request(name, { signal: stop.signal }, lead).catch(() => undefined); // rejected with AbortError when the tab unmounts while waiting
    } else {
      void lead(); // no Web Locks (old browsers): one stream per tab
    }
    return () => {
      stop.abort();
      channel.close();
    };
  }, [workspaceId]);

  return <Context.Provider value={registry}>{children}</Context.Provider>;
}

/** Calls `onEvent` for each live event of the workspace whose type matches `types` (exact or `group.*`; empty: all). */
export function useEventStream(onEvent: (event: FeedEvent) => void, types: readonly string[] = []): void {
  const registry = useContext(Context);
  const latest = useRef(onEvent);
  useEffect(() => {
    latest.current = onEvent;
  });
  const key = types.join(",");
  useEffect(() => {
    if (!registry) return;
    return registry.add({ onEvent: latest, types: key ? key.split(",") : [] });
  }, [registry, key]);
}
