"use server";

import { headers } from "next/headers";
import { publicAction } from "@/lib/actions/safe-action";
import { signUp } from "@/lib/accounts/sign-up";
import { signUpBodySchema } from "@/lib/accounts/schemas";
import { appUrl } from "@/lib/http/app-url";

export const signUpAction = publicAction.inputSchema(signUpBodySchema).action(async ({ parsedInput, ctx }) => {
  const { user } = await signUp(parsedInput, { ip: ctx.ip, baseUrl: appUrl({ headers: await headers() }) });
  return { email: user.email };
});
