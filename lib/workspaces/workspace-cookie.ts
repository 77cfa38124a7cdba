import { WORKSPACE_COOKIE } from "@/lib/auth/principal";
import { env, secureCookies } from "@/lib/env";

/** The cookie naming the workspace a signed-in user acts in (the switcher, an accepted invitation). */
export const workspaceCookie = (workspaceId: string) => ({
  name: WORKSPACE_COOKIE,
  value: workspaceId,
  httpOnly: true,
  sameSite: "lax" as const,
  secure: secureCookies(env()),
  path: "/",
  maxAge: 60 * 60 * 24 * 365,
});
