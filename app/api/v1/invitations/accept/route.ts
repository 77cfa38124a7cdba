// POST /api/v1/invitations/accept — the signed-in invitee accepts `{ token }` from the mailed link: the membership,
//   and the workspace cookie so the browser lands in that workspace (410 when expired, revoked or used)
import { NextResponse } from "next/server";
import { route } from "@/lib/http/route";
import { acceptInvitation } from "@/lib/invitations/accept-invitation";
import { acceptedInvitationSchema, acceptInvitationBodySchema } from "@/lib/invitations/schemas";
import { workspaceCookie } from "@/lib/workspaces/workspace-cookie";

export const POST = route({ permission: "workspace.read", body: acceptInvitationBodySchema, response: acceptedInvitationSchema, summary: "Accept an invitation with the mailed token; sets the workspace cookie." }, async ({ principal, body, ip }) => {
  const accepted = await acceptInvitation(principal, body.token, ip);
  const response = NextResponse.json(accepted);
  response.cookies.set(workspaceCookie(accepted.workspace.id));
  return response;
});
