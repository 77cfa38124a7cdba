// GET /api/v1/workspace/members — members of the caller's workspace (owners add people with invitations)
import { route } from "@/lib/http/route";
import { listMembers } from "@/lib/workspaces/members";
import { memberListSchema } from "@/lib/workspaces/schemas";

export const GET = route({ permission: "workspace.read", response: memberListSchema, summary: "The members of the caller's workspace." }, async ({ principal }) => ({ data: await listMembers(principal) }));
