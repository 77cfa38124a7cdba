// PATCH /api/v1/workspace/members/:userId — change a member's role `{ role }` (owners; the last owner stays one)
// DELETE /api/v1/workspace/members/:userId — remove a member (owners)
import { z } from "zod";
import { idParam } from "@/lib/http/params";
import { route } from "@/lib/http/route";
import { changeMemberRole, removeMember } from "@/lib/workspaces/members";
import { changeMemberRoleBodySchema, memberSchema } from "@/lib/workspaces/schemas";

const params = z.object({ userId: idParam });

export const PATCH = route({ permission: "members.manage", params, body: changeMemberRoleBodySchema, response: memberSchema, summary: "Change a member's role (owners; the last owner stays one)." }, async ({ principal, params, body, ip }) =>
  changeMemberRole(principal, params.userId, body.role, ip),
);

export const DELETE = route({ permission: "members.manage", params, status: 204, summary: "Remove a member (owners)." }, async ({ principal, params, ip }) => {
  await removeMember(principal, params.userId, ip);
  return new Response(null, { status: 204 });
});
