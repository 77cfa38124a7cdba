import type { z } from "zod";
import { consumeAccountToken } from "@/lib/accounts/account-tokens";
import { recordAudit } from "@/lib/audit/record-audit";
import { endAllSessions } from "@/lib/auth/end-sessions";
import { hashPassword } from "@/lib/auth/password";
import { db } from "@/lib/db/client";
import { markEmailVerified } from "./email-verification";
import type { resetPasswordBodySchema } from "./schemas";

/**
 * Sets a new password from a mailed reset link (single-use: 404 unknown, 410 used
 * or expired), ends every session of the account, and marks its e-mail verified
 * (following the link proved the mailbox) — with the starting credit, if still due.
 */
export async function resetPassword(input: z.output<typeof resetPasswordBodySchema>, ip: string | null) {
  const passwordHash = await hashPassword(input.password);
  await db.$transaction(async (tx) => {
    const userId = await consumeAccountToken(tx, { token: input.token, purpose: "RESET_PASSWORD" });
    await tx.user.update({ where: { id: userId }, data: { passwordHash } });
    await markEmailVerified(tx, userId);
    await endAllSessions(tx, userId);
    await recordAudit({ action: "auth.password_reset", actorUserId: userId, target: userId, ip }, tx);
  });
  return { reset: true, sessionsEnded: true };
}
