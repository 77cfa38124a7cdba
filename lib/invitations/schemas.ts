import { z } from "zod";
import { isoDate, pageOf } from "@/lib/http/wire";
import { emailSchema } from "@/lib/accounts/schemas";
import { paginationQuerySchema } from "@/lib/http/pagination";
import { roleSchema } from "@/lib/workspaces/schemas";

// Client-safe: these drive the invite form as well as the API.

export const createInvitationBodySchema = z.object({
  email: z.string().trim().pipe(emailSchema),
  role: roleSchema.default("MEMBER"),
});
export type CreateInvitationBody = z.input<typeof createInvitationBodySchema>;

export const listInvitationsQuerySchema = paginationQuerySchema;

export const acceptInvitationBodySchema = z.object({ token: z.string().min(1, "The invitation link is incomplete.").max(200) });

// Response bodies (lib/http/route.ts `response`): invitations.ts invitationJson and listInvitations, accept-invitation.ts.
const role = roleSchema;
export const invitationSchema = z
  .object({ id: z.string(), email: z.string(), role, status: z.enum(["pending", "accepted", "revoked", "expired"]), createdAt: isoDate, expiresAt: isoDate })
  .meta({ id: "Invitation" });
export const invitationPageSchema = pageOf(invitationSchema);
export const acceptedInvitationSchema = z.object({ workspace: z.object({ id: z.string(), name: z.string() }), role });
