import { z } from "zod";
import { isoDate } from "@/lib/http/wire";

// Client-safe: these drive the forms as well as the API.

export const MIN_PASSWORD_LENGTH = 10;

export const emailSchema = z
  .email("Enter a valid email address.")
  .max(254)
  .transform((e) => e.toLowerCase());

/** A new password (sign-up, change, reset). */
export const passwordSchema = z
  .string()
  .min(MIN_PASSWORD_LENGTH, `Use at least ${MIN_PASSWORD_LENGTH} characters.`)
  .max(200, "Use at most 200 characters.");

export const signUpBodySchema = z.object({
  email: z.string().trim().pipe(emailSchema),
  password: passwordSchema,
  name: z.string().trim().min(1, "Enter your name.").max(100),
});
export type SignUpBody = z.input<typeof signUpBodySchema>;

/** The sign-up form's: also where the new user was going, which the verification link returns to. */
export const signUpFormSchema = signUpBodySchema.extend({ callbackUrl: z.string().max(2000).optional() });

export const verifyEmailBodySchema = z.object({ token: z.string().trim().min(1, "The link has no token.").max(200) });

export const changePasswordBodySchema = z
  .object({
    currentPassword: z.string().min(1, "Enter your current password.").max(200, "Use at most 200 characters."),
    newPassword: passwordSchema,
  })
  .refine((b) => b.newPassword !== b.currentPassword, { path: ["newPassword"], message: "Choose a password different from the current one." });

export const requestPasswordResetBodySchema = z.object({ email: z.string().trim().pipe(emailSchema) });

export const resetPasswordBodySchema = z.object({
  token: z.string().min(1, "The link has no token; open the link from the mail again.").max(200),
  password: passwordSchema,
});

// Response bodies (lib/http/route.ts `response`) of the account routes.
export const signUpResponseSchema = z.object({
  user: z.object({ id: z.string(), email: z.string(), name: z.string().nullable(), createdAt: isoDate }),
  workspace: z.object({ id: z.string(), name: z.string(), slug: z.string(), tier: z.string() }),
});
export const messageResponseSchema = z.object({ message: z.string() });
export const passwordResetResponseSchema = z.object({ reset: z.literal(true), sessionsEnded: z.literal(true) });
export const passwordChangedResponseSchema = z.object({ changed: z.literal(true), sessionsEnded: z.literal(true) });
export const sessionsEndedResponseSchema = z.object({ sessionsEnded: z.literal(true) });
export const verificationSentResponseSchema = z.object({ sentTo: z.string() });
