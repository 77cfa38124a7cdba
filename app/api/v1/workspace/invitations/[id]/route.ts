// DELETE /api/v1/workspace/invitations/:id — revoke an invitation: its link stops working (owners)
import { idParams } from "@/lib/http/params";
import { route } from "@/lib/http/route";
import { revokeInvitation } from "@/lib/invitations/invitations";

export const DELETE = route({ permission: "members.manage", params: idParams, status: 204, summary: "Revoke an invitation: its link stops working (owners)." }, async ({ principal, params, ip }) => {
  await revokeInvitation(principal, params.id, ip);
  return new Response(null, { status: 204 });
});
