import { z } from "zod";

// Client-safe: these drive the forms as well as the API.

export const MIN_PASSWORD_LENGTH = 10;

export const emailSchema = z
  .email("Enter a valid email address.")
  .max(254)
  .transform((e) => e.toLowerCase());

export const signUpBodySchema = z.object({
  email: z.string().trim().pipe(emailSchema),
  password: z
    .string()
    .min(MIN_PASSWORD_LENGTH, `Use at least ${MIN_PASSWORD_LENGTH} characters.`)
    .max(200, "Use at most 200 characters."),
  name: z.string().trim().min(1, "Enter your name.").max(100),
});
export type SignUpBody = z.input<typeof signUpBodySchema>;

export const verifyEmailBodySchema = z.object({ token: z.string().trim().min(1, "The link has no token.").max(200) });
