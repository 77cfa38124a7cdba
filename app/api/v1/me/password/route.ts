// POST /api/v1/me/password — change the caller's password (the current one required); ends every session of theirs
import { changePassword } from "@/lib/accounts/change-password";
import { changePasswordBodySchema, passwordChangedResponseSchema } from "@/lib/accounts/schemas";
import { requireUser } from "@/lib/auth/permissions";
import { route } from "@/lib/http/route";

export const POST = route({ permission: "account.manage", body: changePasswordBodySchema, response: passwordChangedResponseSchema, summary: "Change the caller's password; ends every session of theirs." }, async ({ principal, body, ip }) => changePassword(requireUser(principal), body, ip));
