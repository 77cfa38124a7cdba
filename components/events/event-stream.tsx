"use client";

import type { ReactNode } from "react";
import type { FeedEvent } from "@/lib/events/feed";

// PLACEHOLDER while issue 22's stream is built in a branch (helper "stream"): the workspace's live
// event stream, one per browser, shared by every component. The signature is the contract; the
// stream branch replaces this file's body before merge.

/** Wraps the signed-in console; holds the one connection. */
export function EventStreamProvider({ children }: { children: ReactNode }) {
  return children;
}

/** Calls `onEvent` for each live event of the workspace whose type matches `types` (exact or `group.*`; empty: all). */
export function useEventStream(onEvent: (event: FeedEvent) => void, types: readonly string[] = []): void {
  void onEvent;
  void types;
}
