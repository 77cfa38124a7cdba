// DELETE /api/v1/workspace/members/:userId — remove a member (owners)
import { z } from "zod";
import { idParam } from "@/lib/http/params";
import { route } from "@/lib/http/route";
import { removeMember } from "@/lib/workspaces/members";

export const DELETE = route({ permission: "members.manage", params: z.object({ userId: idParam }) }, async ({ principal, params, ip }) => {
  await removeMember(principal, params.userId, ip);
  return new Response(null, { status: 204 });
});
