import { recordAudit } from "@/lib/audit/record-audit";
import { endAllSessions } from "@/lib/auth/end-sessions";
import type { Principal } from "@/lib/auth/principal";
import { db } from "@/lib/db/client";

/** Ends every session of the signed-in user, on every device (this one too). */
export async function signOutEverywhere(user: Extract<Principal, { kind: "user" }>, ip: string | null) {
  await db.$transaction(async (tx) => {
    await endAllSessions(tx, user.userId);
    await recordAudit({ action: "auth.signed_out_everywhere", actorUserId: user.userId, target: user.userId, ip }, tx);
  });
  return { sessionsEnded: true };
}
