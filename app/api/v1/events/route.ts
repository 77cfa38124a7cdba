// GET /api/v1/events?after=<seq>&limit=&types= — the workspace's event feed, oldest first: every
// event with a seq above `after` (0: from the oldest kept, AGORA_EVENT_RETENTION_DAYS). Page with
// `nextAfter` until `hasMore` is false; a consumer that keeps its last seq catches up without gaps.
import { eventPageSchema, eventsQuerySchema, listEvents } from "@/lib/events/feed";
import { route } from "@/lib/http/route";

export const GET = route(
  { permission: "workspace.read", query: eventsQuerySchema, response: eventPageSchema, summary: "The workspace's events after a sequence number, oldest first." },
  async ({ principal, query }) => listEvents(principal.workspace.id, query),
);
