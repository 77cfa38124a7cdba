// POST /api/v1/auth/signup — create an account and its personal workspace; mails the verification link
import { signUp } from "@/lib/accounts/sign-up";
import { signUpBodySchema, signUpResponseSchema } from "@/lib/accounts/schemas";
import { appUrl } from "@/lib/http/app-url";
import { json, route } from "@/lib/http/route";

export const POST = route({ auth: "public", body: signUpBodySchema, response: signUpResponseSchema, status: 201, summary: "Create an account and its personal workspace; mails the verification link." }, async ({ req, body, ip }) => {
  const { user, workspace } = await signUp(body, { ip, baseUrl: appUrl(req) });
  return json({ user, workspace }, 201);
});
