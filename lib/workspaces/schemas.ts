import { z } from "zod";
import { emailSchema } from "@/lib/accounts/schemas";

export const addMemberBodySchema = z.object({
  email: z.string().trim().pipe(emailSchema),
  role: z.enum(["OWNER", "MEMBER"]).default("MEMBER"),
});
export const memberUserIdSchema = z.object({ userId: z.string().min(1).max(64) });
export const switchWorkspaceBodySchema = z.object({ workspaceId: z.string().min(1).max(64) });
