import type { DbTx } from "@/lib/db/client";

// Sessions are next-auth JWTs carrying the user's session version at sign-in;
// every request compares it with the user's current one (lib/auth/principal.ts).
// Bumping the version ends every session of the user at once.

/**
 * Ends all of the user's sessions. With `fromVersion`, only when that is still the
 * current version: a session that has already ended cannot end the newer ones
 * (a stolen, revoked cookie sent to sign-out does nothing). Whether it bumped.
 */
export async function endAllSessions(tx: DbTx, userId: string, fromVersion?: number): Promise<boolean> {
  const { count } = await tx.user.updateMany({
    where: { id: userId, ...(fromVersion === undefined ? {} : { sessionVersion: fromVersion }) },
    data: { sessionVersion: { increment: 1 } },
  });
  return count > 0;
}
