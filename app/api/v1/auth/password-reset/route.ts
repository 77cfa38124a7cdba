// POST /api/v1/auth/password-reset — mail a reset link; the same 202 whether or not the e-mail has an account
import { RESET_REQUESTED_MESSAGE, requestPasswordReset } from "@/lib/accounts/request-password-reset";
import { messageResponseSchema, requestPasswordResetBodySchema } from "@/lib/accounts/schemas";
import { appUrl } from "@/lib/http/app-url";
import { json, route } from "@/lib/http/route";

export const POST = route({ auth: "public", body: requestPasswordResetBodySchema, response: messageResponseSchema, status: 202, summary: "Mail a password reset link (the same 202 whether or not the e-mail has an account)." }, async ({ req, body, ip }) => {
  await requestPasswordReset(body.email, { ip, baseUrl: appUrl(req) });
  return json({ message: RESET_REQUESTED_MESSAGE }, 202);
});
