import { NextRequest } from "next/server";
import * as streamRoute from "@/app/api/v1/events/stream/route";
import * as eventsRoute from "@/app/api/v1/runs/[id]/events/route";
import type { FeedEvent } from "@/lib/events/feed";
import { getDb } from "@/lib/db/client";
import { sessionCookie } from "./call-route";

export type SseEvent = { id: number; event: string; data: { seq: number; type: string; data: Record<string, unknown> } };

/** Reads Server-Sent Events from a response until `until` says stop or the stream ends. */
export async function readSse(res: Response, until: (e: SseEvent, all: SseEvent[]) => boolean = () => false): Promise<SseEvent[]> {
  const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
  const events: SseEvent[] = [];
  let buffer = "";
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return events;
      buffer += value;
      let cut: number;
      while ((cut = buffer.indexOf("\n\n")) >= 0) {
        const frame = buffer.slice(0, cut);
        buffer = buffer.slice(cut + 2);
        const fields = Object.fromEntries(frame.split("\n").filter((l) => l && !l.startsWith(":")).map((l) => [l.slice(0, l.indexOf(":")), l.slice(l.indexOf(":") + 1).trim()]));
        if (!fields.data) continue;
        const e = { id: Number(fields.id), event: fields.event!, data: JSON.parse(fields.data) as SseEvent["data"] };
        events.push(e);
        if (until(e, events)) return events;
      }
    }
  } finally {
    await reader.cancel().catch(() => undefined);
  }
}

/**
 * Reads a run's whole event stream (GET /api/v1/runs/:id/events, signed in as
 * `userId`), with the run's status read as each text event arrived.
 */
export async function readRunStream(runId: string, userId: string) {
  const req = new NextRequest(`http://127.0.0.1:3999/api/v1/runs/${runId}/events`, { headers: { cookie: await sessionCookie(userId) } });
  const res = await eventsRoute.GET(req, { params: Promise.resolve({ id: runId }) });
  const statusWhenSeen: Promise<string>[] = [];
  const events = await readSse(res, (e) => {
    if (e.event === "text") {
      const seen = getDb().run.findUniqueOrThrow({ where: { id: runId } }).then((r) => r.status);
      seen.catch(() => undefined); // handled now, so a failed read is not an unhandled rejection; Promise.all below still fails on it
      statusWhenSeen.push(seen);
    }
    return false;
  });
  return { events, statusesAtText: await Promise.all(statusWhenSeen) };
}

export type Frame = { id?: string; event?: string; data?: string; comment?: string; retry?: string };

/** Opens GET /api/v1/events/stream with an API key and reads its frames in the background into `frames` / `events` until `close()`. */
export async function openEventStream(secret: string, { query = "", lastEventId }: { query?: string; lastEventId?: string } = {}) {
  const abort = new AbortController();
  const headers: Record<string, string> = { authorization: `Bearer ${secret}`, accept: "text/event-stream" };
  if (lastEventId !== undefined) headers["last-event-id"] = lastEventId;
  const res = await streamRoute.GET(new NextRequest(`http://127.0.0.1:3999/api/v1/events/stream${query}`, { headers, signal: abort.signal }), { params: Promise.resolve({}) });
  const frames: Frame[] = [];
  const events: FeedEvent[] = [];
  let reading: Promise<void> = Promise.resolve();
  let reader: ReadableStreamDefaultReader<string> | undefined;
  if (res.status === 200) {
    reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
    reading = (async () => {
      let buffer = "";
      for (;;) {
        const { value, done } = await reader!.read().catch(() => ({ value: undefined, done: true as const }));
        if (done) return;
        buffer += value;
        let end: number;
        while ((end = buffer.indexOf("\n\n")) >= 0) {
          const frame: Frame = {};
          for (const line of buffer.slice(0, end).split("\n")) {
            if (line.startsWith(":")) frame.comment = line.slice(1).trim();
            else {
              const i = line.indexOf(": ");
              frame[line.slice(0, i) as "id" | "event" | "data" | "retry"] = line.slice(i + 2);
            }
          }
          buffer = buffer.slice(end + 2);
          frames.push(frame);
          if (frame.data) events.push(JSON.parse(frame.data) as FeedEvent);
        }
      }
    })();
  }
  return {
    res,
    frames,
    events,
    close: async () => {
      abort.abort(); // the client goes away, as Next aborts the request
      await reader?.cancel().catch(() => undefined);
      await reading;
    },
  };
}
