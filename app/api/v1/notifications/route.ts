// GET /api/v1/notifications?after=&before=&limit= — the signed-in person's notifications in the current
// workspace (the workspace's notifying events their preferences allow), newest first, with the unread count.
// A person's: an API key gets a 403 (lib/notifications).
import { requireUser } from "@/lib/auth/permissions";
import { route } from "@/lib/http/route";
import { listNotifications, notificationsQuerySchema, notificationsResponseSchema } from "@/lib/notifications/notifications";

export const GET = route(
  { permission: "account.manage", query: notificationsQuerySchema, response: notificationsResponseSchema, summary: "The signed-in person's notifications in the workspace, newest first, with the unread count." },
  async ({ principal, query }) => listNotifications({ userId: requireUser(principal).userId, workspaceId: principal.workspace.id }, query),
);
