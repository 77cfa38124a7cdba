"use server";

import { headers } from "next/headers";
import { publicAction } from "@/lib/actions/safe-action";
import { signUp } from "@/lib/accounts/sign-up";
import { signUpFormSchema } from "@/lib/accounts/schemas";
import { safeCallbackUrl } from "@/lib/auth/safe-callback-url";
import { appUrl } from "@/lib/http/app-url";

export const signUpAction = publicAction.inputSchema(signUpFormSchema).action(async ({ parsedInput, ctx }) => {
  const returnTo = safeCallbackUrl(parsedInput.callbackUrl, "/welcome");
  const { user } = await signUp(parsedInput, { ip: ctx.ip, baseUrl: appUrl({ headers: await headers() }), returnTo });
  return { email: user.email };
});
