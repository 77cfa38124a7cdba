// POST /api/v1/workspace/invitations — invite an e-mail address `{ email, role }` (owners): 201, the same answer whether or not it has an account
// GET /api/v1/workspace/invitations — the pending invitations, newest first: cursor, limit (owners)
import { appUrl } from "@/lib/http/app-url";
import { json, route } from "@/lib/http/route";
import { inviteMember, listInvitations } from "@/lib/invitations/invitations";
import { createInvitationBodySchema, invitationPageSchema, invitationSchema, listInvitationsQuerySchema } from "@/lib/invitations/schemas";

export const POST = route({ permission: "members.manage", body: createInvitationBodySchema, response: invitationSchema, status: 201, summary: "Invite an e-mail address with a role (owners)." }, async ({ req, principal, body, ip }) =>
  json(await inviteMember(principal, body, appUrl(req), ip), 201),
);

export const GET = route({ permission: "members.manage", query: listInvitationsQuerySchema, response: invitationPageSchema, summary: "The pending invitations, newest first (owners)." }, async ({ principal, query }) => listInvitations(principal, query));
