"use server";

import { cookies } from "next/headers";
import { authedAction } from "@/lib/actions/safe-action";
import { WORKSPACE_COOKIE } from "@/lib/auth/principal";
import { env, secureCookies } from "@/lib/env";
import { requireUser } from "@/lib/auth/permissions";
import { addMember, removeMember } from "@/lib/workspaces/members";
import { addMemberBodySchema, memberUserIdSchema, switchWorkspaceBodySchema } from "@/lib/workspaces/schemas";
import { assertMembership } from "@/lib/workspaces/assert-membership";

export const switchWorkspaceAction = authedAction.inputSchema(switchWorkspaceBodySchema).action(async ({ parsedInput, ctx }) => {
  await assertMembership(requireUser(ctx.principal).userId, parsedInput.workspaceId);
  (await cookies()).set(WORKSPACE_COOKIE, parsedInput.workspaceId, {
    httpOnly: true,
    sameSite: "lax",
    secure: secureCookies(env()),
    path: "/",
    maxAge: 60 * 60 * 24 * 365,
  });
  return { workspaceId: parsedInput.workspaceId };
});

export const addMemberAction = authedAction
  .inputSchema(addMemberBodySchema)
  .action(async ({ parsedInput, ctx }) => addMember(ctx.principal, parsedInput, ctx.ip));

export const removeMemberAction = authedAction.inputSchema(memberUserIdSchema).action(async ({ parsedInput, ctx }) => {
  await removeMember(ctx.principal, parsedInput.userId, ctx.ip);
  return { removed: parsedInput.userId };
});
