// POST /api/v1/auth/password-reset/confirm — { token, password } from a mailed link: set the password, end every session
import { resetPassword } from "@/lib/accounts/reset-password";
import { resetPasswordBodySchema } from "@/lib/accounts/schemas";
import { route } from "@/lib/http/route";

export const POST = route({ auth: "public", body: resetPasswordBodySchema }, async ({ body, ip }) => resetPassword(body, ip));
