// POST /api/v1/auth/verify-email/resend — mail the signed-in user a new e-mail verification link
import { resendVerificationMail } from "@/lib/accounts/email-verification";
import { requireUser } from "@/lib/auth/permissions";
import { appUrl } from "@/lib/http/app-url";
import { route } from "@/lib/http/route";

export const POST = route({ permission: "workspace.read" }, async ({ req, principal }) => resendVerificationMail(requireUser(principal).userId, appUrl(req)));
