"use server";

import { publicAction } from "@/lib/actions/safe-action";
import { signUp } from "@/lib/accounts/sign-up";
import { signUpBodySchema } from "@/lib/accounts/schemas";

export const signUpAction = publicAction.inputSchema(signUpBodySchema).action(async ({ parsedInput, ctx }) => {
  const { user } = await signUp(parsedInput, ctx.ip);
  return { email: user.email };
});
