import { db } from "@/lib/db/client";
import { env } from "@/lib/env";
import { recordAudit } from "@/lib/audit/record-audit";
import { verifyPassword } from "./password";

// Password sign-in with throttling. Failures are counted from the audit log
// (which must record them anyway), per email and per IP, over a sliding window.

export class SignInError extends Error {}

export const INVALID_CREDENTIALS = "Invalid email or password.";

export async function signInWithPassword(input: { email: string; password: string; ip: string | null }) {
  const e = env();
  const email = input.email.trim().toLowerCase();
  const since = new Date(Date.now() - e.AGORA_SIGNIN_WINDOW_MINUTES * 60_000);
  const failures = "auth.sign_in_failed";

  const [byEmail, byIp] = await Promise.all([
    db.auditLog.count({ where: { action: failures, target: email, createdAt: { gte: since } } }),
    input.ip ? db.auditLog.count({ where: { action: failures, ip: input.ip, createdAt: { gte: since } } }) : 0,
  ]);
  if (byEmail >= e.AGORA_SIGNIN_MAX_FAILURES_PER_EMAIL || byIp >= e.AGORA_SIGNIN_MAX_FAILURES_PER_IP) {
    await recordAudit({ action: "auth.sign_in_throttled", target: email, ip: input.ip, metadata: { byEmail, byIp } });
    throw new SignInError(
      `Too many failed sign-in attempts. Try again in ${e.AGORA_SIGNIN_WINDOW_MINUTES} minutes.`,
    );
  }

  const user = await db.user.findUnique({
    where: { email },
    select: { id: true, email: true, name: true, passwordHash: true, disabledAt: true },
  });
  const ok = await verifyPassword(user?.passwordHash, input.password);
  if (!user || !ok) {
    await recordAudit({ action: failures, target: email, ip: input.ip, actorUserId: user?.id ?? null });
    throw new SignInError(INVALID_CREDENTIALS);
  }
  if (user.disabledAt) {
    await recordAudit({ action: "auth.sign_in_refused_disabled", target: email, ip: input.ip, actorUserId: user.id });
    throw new SignInError("This account has been disabled. Contact your administrator.");
  }
  return { id: user.id, email: user.email, name: user.name };
}
