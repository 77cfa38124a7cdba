import { cookies } from "next/headers";
import { forbidden, redirect } from "next/navigation";
import { cache } from "react";
import { getServerSession } from "next-auth";
import { ApiError } from "@/lib/http/errors";
import { authOptions } from "./auth-options";
import { principalFromUser, WORKSPACE_COOKIE, type Principal } from "./principal";

type UserPrincipal = Extract<Principal, { kind: "user" }>;

/** The signed-in user's principal for a server component, or null (resolved once per request). */
export const currentPrincipal = cache(async function currentPrincipal(): Promise<UserPrincipal | null> {
  const session = await getServerSession(authOptions());
  const userId = (session?.user as { id?: string } | undefined)?.id;
  if (!userId) return null;
  try {
    return (await principalFromUser(userId, (await cookies()).get(WORKSPACE_COOKIE)?.value)) as UserPrincipal;
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
