import { issueAccountToken } from "@/lib/accounts/account-tokens";
import { recordAudit } from "@/lib/audit/record-audit";
import { db } from "@/lib/db/client";
import { env, type Env } from "@/lib/env";
import { ApiError } from "@/lib/http/errors";
import { mailAvailable, sendMailQuietly } from "@/lib/mail/mail";
import { log } from "@/lib/observability/log";

// "Forgot password?": the answer is the same, in content and in the work done
// before it, whether or not the e-mail has an account — the token and the mail
// are made after the answer, for an existing account only.

export const RESET_LINK_TTL_MS = 60 * 60_000;
const WINDOW_MS = 60 * 60_000;
export const RESET_REQUESTS_PER_EMAIL = 5;
export const RESET_REQUESTS_PER_IP = 20;

export const RESET_REQUESTED_MESSAGE = "If an account uses this e-mail, we have sent it a link to choose a new password. The link works once, for 1 hour.";

const REQUESTED = "auth.password_reset_requested";

/** Mails a reset link to `email` if it has an account; throttled per e-mail and per client IP (429). */
export async function requestPasswordReset(email: string, ctx: { ip: string | null; baseUrl: string }, e: Env = env()): Promise<void> {
  if (!mailAvailable(e)) {
    throw new ApiError("mail_unavailable", "Password reset by e-mail is not available on this server. Ask the operator to reset your password.");
  }
  const since = new Date(Date.now() - WINDOW_MS);
  const [byEmail, byIp] = await Promise.all([
    db.auditLog.count({ where: { action: REQUESTED, target: email, createdAt: { gte: since } } }),
    ctx.ip ? db.auditLog.count({ where: { action: REQUESTED, ip: ctx.ip, createdAt: { gte: since } } }) : 0,
  ]);
  if (byEmail >= RESET_REQUESTS_PER_EMAIL || byIp >= RESET_REQUESTS_PER_IP) {
    throw new ApiError("rate_limited", "Too many password reset requests. Check your mailbox for the last link, or try again in an hour.");
  }
  const user = await db.user.findUnique({ where: { email }, select: { id: true } });
  await recordAudit({ action: REQUESTED, target: email, ip: ctx.ip, actorUserId: user?.id ?? null });
  if (user) void mailResetLink(user.id, email, ctx.baseUrl);
}

async function mailResetLink(userId: string, to: string, baseUrl: string): Promise<void> {
  try {
    const token = await issueAccountToken(db, { userId, purpose: "RESET_PASSWORD", ttlMs: RESET_LINK_TTL_MS });
    const link = `${baseUrl}/reset-password?token=${token}`;
    await sendMailQuietly({
      to,
      subject: "Reset your Agora password",
      text: `Someone, hopefully you, asked to reset the password of your Agora account.\n\nChoose a new password here (the link works once, for 1 hour):\n${link}\n\nSetting it signs you out everywhere. If you did not ask, ignore this mail: your password stays as it is.\n`,
    });
  } catch (err) {
    log.warn("password reset link not sent", { error: err instanceof Error ? err.message : String(err) });
  }
}
