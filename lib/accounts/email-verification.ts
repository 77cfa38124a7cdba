import { recordAudit } from "@/lib/audit/record-audit";
import { db, type DbTx } from "@/lib/db/client";
import { ApiError } from "@/lib/http/errors";
import { mailAvailable, sendMailQuietly, type Mail } from "@/lib/mail/mail";
import { grantStartingCredit, startingCreditKey, startingCreditMicros } from "@/lib/workspaces/grant-starting-credit";
import { consumeAccountToken, issueAccountToken } from "./account-tokens";
import { refuseWhenFull, windowStart } from "./sliding-limit";

// E-mail verification: a sign-up is mailed a single-use link (24 h); following
// it marks the address verified and grants the personal workspace's starting
// credit. The link opens a page whose button confirms (a POST), so a mail
// scanner prefetching the link does not use it up.

export const VERIFY_EMAIL_SUBJECT = "Verify your e-mail for Agora";
const VERIFY_EMAIL_TTL_MS = 24 * 60 * 60_000;
const RESEND_MAX = 5;
const RESEND_WINDOW_MINUTES = 60;

/**
 * Issues a fresh link (older ones stop working) and returns the mail carrying it, to send once `tx` commits.
 * `returnTo` (a safe path, checked again by the page) is where the verified user continues.
 */
export async function verificationMail(tx: DbTx, user: { id: string; email: string; name: string | null }, baseUrl: string, returnTo?: string): Promise<Mail> {
  const token = await issueAccountToken(tx, { userId: user.id, purpose: "VERIFY_EMAIL", ttlMs: VERIFY_EMAIL_TTL_MS });
  const link = `${baseUrl}/verify-email?token=${token}${returnTo ? `&next=${encodeURIComponent(returnTo)}` : ""}`;
  return {
    to: user.email,
    subject: VERIFY_EMAIL_SUBJECT,
    text: `Hello${user.name ? ` ${user.name}` : ""},\n\nConfirm that this address is yours to finish setting up your Agora account and receive your starting credit:\n\n${link}\n\nThe link works once, for 24 hours. If you did not sign up for Agora, ignore this mail.\n`,
  };
}

/** The workspace a user got at sign-up: their first owned personal one. */
async function personalWorkspaceOf(tx: DbTx, userId: string): Promise<string | null> {
  const m = await tx.membership.findFirst({ where: { userId, role: "OWNER", workspace: { personal: true } }, orderBy: { createdAt: "asc" }, select: { workspaceId: true } });
  return m?.workspaceId ?? null;
}

/**
 * The user proved they read mail at their address (a verification or password-reset
 * link): marks the e-mail verified and grants the starting credit if it was not yet.
 */
export async function markEmailVerified(tx: DbTx, userId: string): Promise<{ workspaceId: string | null; startingCreditGranted: boolean }> {
  await tx.user.updateMany({ where: { id: userId, emailVerified: null }, data: { emailVerified: new Date() } });
  const workspaceId = await personalWorkspaceOf(tx, userId);
  return { workspaceId, startingCreditGranted: workspaceId ? await grantStartingCredit(tx, workspaceId) : false };
}

/** Uses a verification link: 404 unknown, 410 used or expired. Returns whether the starting credit was granted now. */
export async function verifyEmail(token: string, ip: string | null): Promise<{ startingCreditGranted: boolean }> {
  return db.$transaction(async (tx) => {
    const userId = await consumeAccountToken(tx, { token, purpose: "VERIFY_EMAIL" });
    const { workspaceId, startingCreditGranted } = await markEmailVerified(tx, userId);
    await recordAudit({ action: "user.email_verified", actorUserId: userId, workspaceId, target: userId, ip, metadata: { startingCreditGranted } }, tx);
    return { startingCreditGranted };
  });
}

/** Mails a new link to a signed-in user whose address is not verified yet (at most 5 links an hour). */
export async function resendVerificationMail(userId: string, baseUrl: string): Promise<{ sentTo: string }> {
  if (!mailAvailable()) throw new ApiError("mail_unavailable", "E-mail is not configured on this server, so no verification link can be sent. Your starting credit comes with your first top-up.");
  const mail = await db.$transaction(async (tx) => {
    // One resend at a time per user, so parallel clicks cannot pass the limit together.
    const user = (await tx.$queryRaw<{ id: string; email: string; name: string | null; emailVerified: Date | null }[]>`
      SELECT "id", "email", "name", "emailVerified" FROM "User" WHERE "id" = ${userId} FOR UPDATE`)[0];
    if (!user) throw new ApiError("not_found", "This account no longer exists.");
    if (user.emailVerified) throw new ApiError("conflict", "Your e-mail address is already verified.");
    const recent = await tx.accountToken.findMany({
      where: { userId, purpose: "VERIFY_EMAIL", createdAt: { gte: windowStart(RESEND_WINDOW_MINUTES) } },
      orderBy: { createdAt: "asc" },
      take: RESEND_MAX,
      select: { createdAt: true },
    });
    refuseWhenFull(recent, RESEND_MAX, RESEND_WINDOW_MINUTES, "Too many verification mails for this account");
    return verificationMail(tx, user, baseUrl);
  });
  if (!(await sendMailQuietly(mail))) throw new ApiError("service_unavailable", "The mail could not be sent just now. Try again in a few minutes.");
  return { sentTo: mail.to };
}

/** The starting credit a user would get by verifying their address, or null (verified, or granted already by a top-up or before verification existed). */
export async function pendingStartingCredit(userId: string): Promise<bigint | null> {
  const user = await db.user.findUnique({ where: { id: userId }, select: { emailVerified: true } });
  if (!user || user.emailVerified) return null;
  const workspaceId = await personalWorkspaceOf(db, userId);
  if (!workspaceId || (await db.transfer.findUnique({ where: { idempotencyKey: startingCreditKey(workspaceId) }, select: { id: true } }))) return null;
  return startingCreditMicros(db);
}
