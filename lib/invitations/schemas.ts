import { z } from "zod";
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
