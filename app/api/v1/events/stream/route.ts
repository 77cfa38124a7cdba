// GET /api/v1/events/stream?after=<seq>&types= — the workspace's events as Server-Sent Events: every
// event after Last-Event-ID (header, or ?after=), then live ones, in seq order (lib/events/stream.ts).
// Open streams are capped per workspace and per API key (lib/runs/stream-slots.ts): 429 beyond.
import { eventStreamQuerySchema, resumeAfter, workspaceEventStream } from "@/lib/events/stream";
import { route } from "@/lib/http/route";
import { acquireStreamSlot } from "@/lib/runs/stream-slots";

export const GET = route(
  {
    permission: "workspace.read",
    query: eventStreamQuerySchema,
    produces: {
      "text/event-stream":
        "Server-Sent Events: `id:` the event's seq, `event:` its type, `data:` the event as JSON `{ seq, type, createdAt, data }` (as GET /api/v1/events); replayed after Last-Event-ID (or ?after=), then live; `: keep-alive` comments while idle.",
    },
    summary: "The workspace's events as Server-Sent Events, live (resumable with Last-Event-ID or ?after=).",
  },
  async ({ req, principal, query }) => {
    const after = resumeAfter(req.headers.get("last-event-id"), query.after);
    return workspaceEventStream(principal.workspace.id, { after, types: query.types, signal: req.signal, release: acquireStreamSlot(principal, "events") });
  },
);
