// GET /api/v1/workspaces — the workspaces the signed-in user belongs to
import { requireUser } from "@/lib/auth/permissions";
import { route } from "@/lib/http/route";
import { listUserWorkspaces } from "@/lib/workspaces/members";

export const GET = route({ permission: "workspace.read" }, async ({ principal }) => ({
  data: await listUserWorkspaces(requireUser(principal).userId),
  current: principal.workspace.id,
}));
