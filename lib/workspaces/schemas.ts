import { z } from "zod";

export const roleSchema = z.enum(["OWNER", "MEMBER"]);
export const changeMemberRoleBodySchema = z.object({ role: roleSchema });
export const memberUserIdSchema = z.object({ userId: z.string().min(1).max(64) });
export const switchWorkspaceBodySchema = z.object({ workspaceId: z.string().min(1).max(64) });
