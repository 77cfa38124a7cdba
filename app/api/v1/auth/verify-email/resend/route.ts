// POST /api/v1/auth/verify-email/resend — mail the signed-in user a new e-mail verification link
import { resendVerificationMail } from "@/lib/accounts/email-verification";
import { requireUser } from "@/lib/auth/permissions";
import { appUrl } from "@/lib/http/app-url";
import { route } from "@/lib/http/route";
import { verificationSentResponseSchema } from "@/lib/accounts/schemas";

export const POST = route({ permission: "workspace.read", response: verificationSentResponseSchema, summary: "Mail the signed-in user a new e-mail verification link." }, async ({ req, principal }) => resendVerificationMail(requireUser(principal).userId, appUrl(req)));
