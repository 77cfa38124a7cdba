"use server";

import { cookies } from "next/headers";
import { authedAction } from "@/lib/actions/safe-action";
import { requireUser } from "@/lib/auth/permissions";
import { packageVersionsInputSchema } from "@/lib/packages/pin-schemas";
import { packageVersionChoices } from "@/lib/packages/pins";
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

/** A package's runnable versions, newest first: what the pin editors (workspace, API keys) offer. */
export const packageVersionsAction = authedAction.inputSchema(packageVersionsInputSchema).action(async ({ parsedInput }) => packageVersionChoices(parsedInput.slug));
