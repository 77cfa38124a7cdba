// POST /api/v1/notifications/read { upTo: seq } — marks the person's notifications up to that event seq read.
import { requireUser } from "@/lib/auth/permissions";
import { route } from "@/lib/http/route";
import { markRead, markReadBodySchema, markReadResponseSchema } from "@/lib/notifications/notifications";

export const POST = route(
  { permission: "account.manage", body: markReadBodySchema, response: markReadResponseSchema, summary: "Mark the signed-in person's notifications read up to an event seq." },
  async ({ principal, body }) => markRead({ userId: requireUser(principal).userId, workspaceId: principal.workspace.id }, body.upTo),
);
