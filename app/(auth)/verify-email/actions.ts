"use server";

import { headers } from "next/headers";
import { authedAction, publicAction } from "@/lib/actions/safe-action";
import { resendVerificationMail, verifyEmail } from "@/lib/accounts/email-verification";
import { verifyEmailBodySchema } from "@/lib/accounts/schemas";
import { requireUser } from "@/lib/auth/permissions";
import { appUrl } from "@/lib/http/app-url";

export const verifyEmailAction = publicAction.inputSchema(verifyEmailBodySchema).action(async ({ parsedInput, ctx }) => verifyEmail(parsedInput.token, ctx.ip));

export const resendVerificationAction = authedAction.action(async ({ ctx }) =>
  resendVerificationMail(requireUser(ctx.principal).userId, appUrl({ headers: await headers() })),
);
