import type { z } from "zod";
import { recordAudit } from "@/lib/audit/record-audit";
import { endAllSessions } from "@/lib/auth/end-sessions";
import { hashPassword, verifyPassword } from "@/lib/auth/password";
import type { Principal } from "@/lib/auth/principal";
import { PASSWORD_FAILURES, passwordAttemptsThrottled } from "@/lib/auth/sign-in";
import { db } from "@/lib/db/client";
import { ApiError } from "@/lib/http/errors";
import type { changePasswordBodySchema } from "./schemas";

type User = Extract<Principal, { kind: "user" }>;

const wrongPassword = () =>
  new ApiError("forbidden", "Your current password is not right.", { issues: [{ path: "currentPassword", message: "Your current password is not right." }] });

/**
 * Changes the signed-in user's password when they prove the current one, and ends
 * every session of theirs (this one too). Wrong guesses count with sign-in failures
 * and are throttled with them: a stolen session cannot try passwords at leisure.
 */
export async function changePassword(user: User, input: z.output<typeof changePasswordBodySchema>, ip: string | null) {
  const throttled = await passwordAttemptsThrottled(user.email, ip);
  if (throttled) throw new ApiError("rate_limited", throttled);
  const { passwordHash } = await db.user.findUniqueOrThrow({ where: { id: user.userId }, select: { passwordHash: true } });
  if (!passwordHash) {
    throw new ApiError("bad_request", "Your account has no password yet (you sign in with GitHub). Set one with “Forgot password?” on the sign-in page.");
  }
  if (!(await verifyPassword(passwordHash, input.currentPassword))) {
    await recordAudit({ action: PASSWORD_FAILURES.passwordChange, actorUserId: user.userId, target: user.email, ip });
    throw wrongPassword();
  }
  const newHash = await hashPassword(input.newPassword);
  await db.$transaction(async (tx) => {
    await tx.user.update({ where: { id: user.userId }, data: { passwordHash: newHash } });
    await endAllSessions(tx, user.userId);
    await recordAudit({ action: "auth.password_changed", actorUserId: user.userId, target: user.userId, ip }, tx);
  });
  return { changed: true, sessionsEnded: true };
}
