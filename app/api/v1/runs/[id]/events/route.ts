// GET /api/v1/runs/:id/events — the run's events as Server-Sent Events, replayed
// after Last-Event-ID (header, or ?after=N), then live until the closing `usage` event.
// Open streams are capped per workspace and per API key (lib/runs/stream-slots.ts): 429 beyond.
import { idParams } from "@/lib/http/params";
import { route } from "@/lib/http/route";
import { parseLastEventId, runEventStream } from "@/lib/runs/event-stream";
import { assertRunInWorkspace } from "@/lib/runs/run-queries";
import { acquireStreamSlot } from "@/lib/runs/stream-slots";

export const GET = route(
  {
    permission: "workspace.read",
    params: idParams,
    produces: { "text/event-stream": "Server-Sent Events: `id:` the seq, `event:` the type, `data:` the event as JSON `{ seq, type, data, at }`; replayed after Last-Event-ID, then live until the closing `usage` event." },
    summary: "The run's events as Server-Sent Events (resumable with Last-Event-ID or ?after=).",
  }, async ({ req, principal, params }) => {
  await assertRunInWorkspace(principal.workspace.id, params.id);
  const after = parseLastEventId(req.headers.get("last-event-id") ?? req.nextUrl.searchParams.get("after"));
  return runEventStream(params.id, { after, signal: req.signal, release: acquireStreamSlot(principal) });
});
