import type { Principal } from "@/lib/auth/principal";
import { env } from "@/lib/env";
import { ApiError } from "@/lib/http/errors";

// Caps on open run event streams (GET /api/v1/runs/:id/events): each holds a
// connection and a database listener for as long as a run lasts, and 200 of them
// pushed readiness to 8–22 s. At most AGORA_MAX_STREAMS_PER_WORKSPACE per
// workspace and AGORA_MAX_STREAMS_PER_KEY per API key, counted in this process
// (each app instance has its own count). The workspace's live event streams
// (GET /api/v1/events/stream) are counted apart, under the same limits.

const open = new Map<string, number>();

const openStreams = (key: string) => open.get(key) ?? 0;

/**
 * Takes a stream slot for the caller, or refuses with 429. Returns the release
 * function: call it once the stream ends however it ends (it frees the slot once).
 */
const NOUN = { run: "run event streams", events: "live event streams" } as const;
const CLOSE_HINT = { run: "Close one (or wait for its run to end) and retry.", events: "Close one (a browser holds one for all its tabs) and retry." } as const;

export function acquireStreamSlot(principal: Principal, kind: keyof typeof NOUN = "run"): () => void {
  const e = env();
  const slots = [{ key: `${kind}:ws:${principal.workspace.id}`, limit: e.AGORA_MAX_STREAMS_PER_WORKSPACE, what: "This workspace" }];
  if (principal.apiKeyId) slots.push({ key: `${kind}:key:${principal.apiKeyId}`, limit: e.AGORA_MAX_STREAMS_PER_KEY, what: "This API key" });
  const full = slots.find((s) => openStreams(s.key) >= s.limit);
  if (full) {
    throw new ApiError("rate_limited", `${full.what} already has ${full.limit} ${NOUN[kind]} open, the most allowed at once. ${CLOSE_HINT[kind]}`, {
      dimension: "concurrent_streams",
      limit: full.limit,
    });
  }
  for (const s of slots) open.set(s.key, openStreams(s.key) + 1);
  let released = false;
  return () => {
    if (released) return;
    released = true;
    for (const s of slots) {
      const left = openStreams(s.key) - 1;
      if (left > 0) open.set(s.key, left);
      else open.delete(s.key);
    }
  };
}
