// GET /api/v1/workspace/members — members of the caller's workspace
// POST /api/v1/workspace/members — add an existing user by email (owners)
import { json, route } from "@/lib/http/route";
import { addMember, listMembers } from "@/lib/workspaces/members";
import { addMemberBodySchema } from "@/lib/workspaces/schemas";

export const GET = route({ permission: "workspace.read" }, async ({ principal }) => ({ data: await listMembers(principal) }));

export const POST = route({ permission: "members.manage", body: addMemberBodySchema }, async ({ principal, body, ip }) =>
  json(await addMember(principal, body, ip), 201),
);
