import { cookies } from "next/headers";
import { forbidden, redirect } from "next/navigation";
import { cache } from "react";
import { getServerSession } from "next-auth";
import { ApiError } from "@/lib/http/errors";
import { authOptions } from "./auth-options";
import { principalFromUser, WORKSPACE_COOKIE, type Principal } from "./principal";

type UserPrincipal = Extract<Principal, { kind: "user" }>;

/**
 * The browser session's user (server components and actions), or null without a
 * session; throws the refusal (401) for a session that has ended (see principalFromUser).
 */
export async function sessionPrincipal(): Promise<UserPrincipal | null> {
  const session = await getServerSession(authOptions());
  const user = session?.user as { id?: string } | undefined;
  if (!user?.id) return null;
  return (await principalFromUser(user.id, (await cookies()).get(WORKSPACE_COOKIE)?.value, user)) as UserPrincipal;
}

/** The signed-in user's principal for a server component, or null (resolved once per request). */
export const currentPrincipal = cache(async function currentPrincipal(): Promise<UserPrincipal | null> {
  try {
    return await sessionPrincipal();
  } catch (err) {
    if (err instanceof ApiError && err.status < 500) return null;
    throw err;
  }
});

/** Same, redirecting to sign-in (and back) when there is no usable session. */
export async function requirePrincipal(returnTo: string): Promise<UserPrincipal> {
  const principal = await currentPrincipal();
  if (!principal) redirect(`/signin?callbackUrl=${encodeURIComponent(returnTo)}`);
  return principal;
}

/**
 * For every admin page (a layout alone is never the guard): sign-in when
 * there is no session, 403 for anyone but a platform admin. Disabled users
 * have no session at all (principalFromUser refuses them on every request).
 */
export async function requireAdmin(returnTo: string): Promise<UserPrincipal> {
  const principal = await requirePrincipal(returnTo);
  if (!principal.isAdmin) forbidden();
  return principal;
}
