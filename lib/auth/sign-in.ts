import { db } from "@/lib/db/client";
import { env } from "@/lib/env";
import { recordAudit } from "@/lib/audit/record-audit";
import { verifyPassword } from "./password";

// Password sign-in with throttling. Failures are counted from the audit log
// (which must record them anyway), per email and per IP, over a sliding window.

export class SignInError extends Error {}

export const INVALID_CREDENTIALS = "Invalid email or password.";

/** Wrong passwords, wherever typed: a guess at the change-password form counts against sign-in too. */
export const PASSWORD_FAILURES = { signIn: "auth.sign_in_failed", passwordChange: "auth.password_change_failed" } as const;

/**
 * Why a password attempt for `email` from `ip` is refused (too many recent
 * failures, audited), or null when it may go ahead.
 */
export async function passwordAttemptsThrottled(email: string, ip: string | null): Promise<string | null> {
  const e = env();
  const since = new Date(Date.now() - e.AGORA_SIGNIN_WINDOW_MINUTES * 60_000);
  const action = { in: Object.values(PASSWORD_FAILURES) };
  const [byEmail, byIp] = await Promise.all([
    db.auditLog.count({ where: { action, target: email, createdAt: { gte: since } } }),
    ip ? db.auditLog.count({ where: { action, ip, createdAt: { gte: since } } }) : 0,
  ]);
  if (byEmail < e.AGORA_SIGNIN_MAX_FAILURES_PER_EMAIL && byIp < e.AGORA_SIGNIN_MAX_FAILURES_PER_IP) return null;
  await recordAudit({ action: "auth.sign_in_throttled", target: email, ip, metadata: { byEmail, byIp } });
  return `Too many failed sign-in attempts. Try again in ${e.AGORA_SIGNIN_WINDOW_MINUTES} minutes.`;
}

export async function signInWithPassword(input: { email: string; password: string; ip: string | null }) {
  const email = input.email.trim().toLowerCase();
  const throttled = await passwordAttemptsThrottled(email, input.ip);
  if (throttled) throw new SignInError(throttled);

  const user = await db.user.findUnique({
    where: { email },
    select: { id: true, email: true, name: true, passwordHash: true, disabledAt: true, sessionVersion: true },
  });
  const ok = await verifyPassword(user?.passwordHash, input.password);
  if (!user || !ok) {
    await recordAudit({ action: PASSWORD_FAILURES.signIn, target: email, ip: input.ip, actorUserId: user?.id ?? null });
    throw new SignInError(INVALID_CREDENTIALS);
  }
  if (user.disabledAt) {
    await recordAudit({ action: "auth.sign_in_refused_disabled", target: email, ip: input.ip, actorUserId: user.id });
    throw new SignInError("This account has been disabled. Contact your administrator.");
  }
  return { id: user.id, email: user.email, name: user.name, sessionVersion: user.sessionVersion };
}
