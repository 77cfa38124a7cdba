// GET /api/v1/workspace/members — members of the caller's workspace (owners add people with invitations)
import { route } from "@/lib/http/route";
import { listMembers } from "@/lib/workspaces/members";

export const GET = route({ permission: "workspace.read" }, async ({ principal }) => ({ data: await listMembers(principal) }));
