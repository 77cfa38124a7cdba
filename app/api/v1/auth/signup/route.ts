// POST /api/v1/auth/signup — create an account and its personal workspace
import { signUp } from "@/lib/accounts/sign-up";
import { signUpBodySchema } from "@/lib/accounts/schemas";
import { json, route } from "@/lib/http/route";

export const POST = route({ auth: "public", body: signUpBodySchema }, async ({ body, ip }) => {
  const { user, workspace } = await signUp(body, ip);
  return json({ user, workspace }, 201);
});
