import { headers } from "next/headers";
import { createSafeActionClient } from "next-safe-action";
import { sessionPrincipal } from "@/lib/auth/current-principal";
import { ApiError, toApiError } from "@/lib/http/errors";
import { clientIp } from "@/lib/http/client-ip";
import { log } from "@/lib/observability/log";

// Server actions are the UI's twin of the route handlers: same principal, same
// errors, same lib/ functions. Errors reach the client as {code, message, details}.

export type ActionError = { code: string; message: string; details?: unknown };

export const actionClient = createSafeActionClient({
  defaultValidationErrorsShape: "flattened",
  handleServerError(err): ActionError {
    const apiError = toApiError(err);
    if (apiError.status >= 500) log.error("server action failed", { err });
    return { code: apiError.code, message: apiError.message, details: apiError.details };
  },
});

/** An action for anonymous callers (sign-up). */
export const publicAction = actionClient.use(async ({ next }) => next({ ctx: { ip: clientIp(await headers()) } }));

/** An action for a signed-in user, acting in their current workspace. */
export const authedAction = actionClient.use(async ({ next }) => {
  const principal = await sessionPrincipal();
  if (!principal) throw new ApiError("unauthenticated", "Your session has ended. Sign in again.");
  return next({ ctx: { principal, ip: clientIp(await headers()) } });
});
