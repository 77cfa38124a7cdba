// Server-Sent Events framing shared by the run event streams (lib/runs/event-stream.ts) and the
// workspace's live event stream (lib/events/stream.ts): a `retry:` hint, an optional first event
// without an id, then each page a follower yields as `id:`/`event:`/`data:` frames, a comment as
// heartbeat when pages stay empty, and a clean end when the client goes away.

const HEARTBEAT_MS = 15_000;

export type SseEvent = { seq: number; type: string };

type SseOptions = {
  /** The request's signal: the client going away ends the stream. */
  signal: AbortSignal;
  /** Runs once when the stream ends: closed, failed, or cancelled by the client. */
  release?: () => void;
  /** An event sent before the others, without an `id:`. */
  first?: { event: string; data: unknown };
  /** Reconnection delay the browser should use (the `retry:` field). */
  retryMs?: number;
};

/**
 * A `text/event-stream` response of the pages `follow` yields (an empty page: a wait that brought
 * nothing; a heartbeat goes out when none was written for 15 s). `follow` gets the signal that
 * aborts when the client goes away.
 */
export function sseResponse<E extends SseEvent>(follow: (signal: AbortSignal) => AsyncIterable<E[]>, { signal: requestSignal, release = () => undefined, first, retryMs = 2000 }: SseOptions): Response {
  const encoder = new TextEncoder();
  const stop = new AbortController();
  requestSignal.addEventListener("abort", () => stop.abort(), { once: true });

  const body = new ReadableStream<Uint8Array>({
    async start(controller) {
      try {
        const send = (text: string) => controller.enqueue(encoder.encode(text));
        let lastWrite = Date.now();
        try {
          send(`retry: ${retryMs}\n\n`);
          if (first) send(`event: ${first.event}\ndata: ${JSON.stringify(first.data)}\n\n`);
          for await (const events of follow(stop.signal)) {
            for (const e of events) send(`id: ${e.seq}\nevent: ${e.type}\ndata: ${JSON.stringify(e)}\n\n`);
            if (events.length) lastWrite = Date.now();
            else if (Date.now() - lastWrite >= HEARTBEAT_MS) {
              send(": keep-alive\n\n");
              lastWrite = Date.now();
            }
          }
        } catch (err) {
          if (!stop.signal.aborted) controller.error(err);
          return;
        }
        if (!stop.signal.aborted) controller.close();
      } finally {
        release();
      }
    },
    cancel() {
      stop.abort(); // the client went away
      release();
    },
  });

  return new Response(body, {
    headers: { "content-type": "text/event-stream; charset=utf-8", "cache-control": "no-store, no-transform", connection: "keep-alive", "x-accel-buffering": "no" },
  });
}
