"use server";

import { cookies } from "next/headers";
import { authedAction } from "@/lib/actions/safe-action";
import { requireUser } from "@/lib/auth/permissions";
import { removeMember } from "@/lib/workspaces/members";
import { memberUserIdSchema, switchWorkspaceBodySchema } from "@/lib/workspaces/schemas";
import { assertMembership } from "@/lib/workspaces/assert-membership";
import { workspaceCookie } from "@/lib/workspaces/workspace-cookie";

export const switchWorkspaceAction = authedAction.inputSchema(switchWorkspaceBodySchema).action(async ({ parsedInput, ctx }) => {
  await assertMembership(requireUser(ctx.principal).userId, parsedInput.workspaceId);
  (await cookies()).set(workspaceCookie(parsedInput.workspaceId));
  return { workspaceId: parsedInput.workspaceId };
});

export const removeMemberAction = authedAction.inputSchema(memberUserIdSchema).action(async ({ parsedInput, ctx }) => {
  await removeMember(ctx.principal, parsedInput.userId, ctx.ip);
  return { removed: parsedInput.userId };
});
