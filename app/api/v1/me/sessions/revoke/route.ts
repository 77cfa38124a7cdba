// POST /api/v1/me/sessions/revoke — sign out everywhere: ends every session of the caller, this one included
import { signOutEverywhere } from "@/lib/accounts/sign-out-everywhere";
import { requireUser } from "@/lib/auth/permissions";
import { route } from "@/lib/http/route";
import { sessionsEndedResponseSchema } from "@/lib/accounts/schemas";

export const POST = route({ permission: "account.manage", response: sessionsEndedResponseSchema, summary: "Sign out everywhere: ends every session of the caller." }, async ({ principal, ip }) => signOutEverywhere(requireUser(principal), ip));
