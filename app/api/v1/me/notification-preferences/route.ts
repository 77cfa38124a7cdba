// GET/PUT /api/v1/me/notification-preferences — which notification categories the person gets in the
// current workspace; money alerts are always on.
import { requireUser } from "@/lib/auth/permissions";
import { route } from "@/lib/http/route";
import { getPreferences, preferencesBodySchema, preferencesSchema, setPreferences } from "@/lib/notifications/notifications";

export const GET = route(
  { permission: "account.manage", response: preferencesSchema, summary: "The signed-in person's notification categories in the workspace." },
  async ({ principal }) => getPreferences({ userId: requireUser(principal).userId, workspaceId: principal.workspace.id }),
);

export const PUT = route(
  { permission: "account.manage", body: preferencesBodySchema, response: preferencesSchema, summary: "Turn notification categories on or off (money alerts cannot be turned off)." },
  async ({ principal, body }) => setPreferences({ userId: requireUser(principal).userId, workspaceId: principal.workspace.id }, body),
);
