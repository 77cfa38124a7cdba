import { randomUUID } from "node:crypto";
import { signUp } from "@/lib/accounts/sign-up";
import { principalFromUser, type Principal } from "@/lib/auth/principal";

export const uniqueEmail = (label = "user") => `${label}-${randomUUID().slice(0, 8)}@test.agora.dev`;

/** A real user with a personal workspace, created through the sign-up path. */
export async function createUser(label = "user", password = "correct horse battery") {
  const email = uniqueEmail(label);
  const { user, workspace } = await signUp({ email, password, name: label });
  const principal = (await principalFromUser(user.id)) as Extract<Principal, { kind: "user" }>;
  return { user, workspace, principal, email, password };
}
