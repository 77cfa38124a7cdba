// GET /api/v1/workspaces — the workspaces the signed-in user belongs to
import { requireUser } from "@/lib/auth/permissions";
import { route } from "@/lib/http/route";
import { listUserWorkspaces } from "@/lib/workspaces/members";
import { userWorkspacesSchema } from "@/lib/workspaces/schemas";

export const GET = route({ permission: "workspace.read", response: userWorkspacesSchema, summary: "The workspaces the signed-in user belongs to." }, async ({ principal }) => ({
  data: await listUserWorkspaces(requireUser(principal).userId),
  current: principal.workspace.id,
}));
