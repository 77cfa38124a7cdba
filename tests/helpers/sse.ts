import { NextRequest } from "next/server";
import * as eventsRoute from "@/app/api/v1/runs/[id]/events/route";
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
