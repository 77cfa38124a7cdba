// POST /api/v1/auth/password-reset/confirm — { token, password } from a mailed link: set the password, end every session
import { resetPassword } from "@/lib/accounts/reset-password";
import { passwordResetResponseSchema, resetPasswordBodySchema } from "@/lib/accounts/schemas";
import { route } from "@/lib/http/route";

export const POST = route({ auth: "public", body: resetPasswordBodySchema, response: passwordResetResponseSchema, summary: "Set a new password with the mailed token; ends every session." }, async ({ body, ip }) => resetPassword(body, ip));
