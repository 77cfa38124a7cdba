import { db, type DbTx } from "@/lib/db/client";
import { env } from "@/lib/env";
import { ApiError } from "@/lib/http/errors";
import { hashPassword } from "@/lib/auth/password";
import { recordAudit } from "@/lib/audit/record-audit";
import { mailAvailable, sendMailQuietly } from "@/lib/mail/mail";
import { createPersonalWorkspace } from "@/lib/workspaces/create-personal-workspace";
import type { z } from "zod";
import { verificationMail } from "./email-verification";
import type { signUpBodySchema } from "./schemas";
import { refuseWhenFull, windowStart } from "./sliding-limit";

type SignUpInput = z.output<typeof signUpBodySchema>;

/**
 * `ip`: the client's, for the per-IP limit (none without one); `baseUrl`: the app's public URL, for the mailed link;
 * `returnTo`: a safe path the verified user continues to (the agent page they signed up from).
 */
export type SignUpContext = { ip: string | null; baseUrl: string; returnTo?: string };

/** 429 once this IP made AGORA_SIGNUP_MAX_PER_IP accounts in the window, counted from the audit log. */
async function limitSignUps(tx: DbTx, ip: string) {
  const { AGORA_SIGNUP_MAX_PER_IP: max, AGORA_SIGNUP_WINDOW_MINUTES: minutes } = env();
  const oldest = await tx.auditLog.findMany({
    where: { action: "user.signed_up", ip, createdAt: { gte: windowStart(minutes) } },
    orderBy: { createdAt: "asc" },
    take: max,
    select: { createdAt: true },
  });
  refuseWhenFull(oldest, max, minutes, "Too many accounts were created from your network");
}

/**
 * Creates the user, their personal workspace and its owner membership, all or
 * nothing — with no credit yet: the verification link mailed after the commit
 * brings the starting credit. A mail that fails is logged; the user can ask again.
 */
export async function signUp(input: SignUpInput, ctx: SignUpContext) {
  // Refused before the (deliberately slow) password hash, and again under the lock.
  if (ctx.ip) await limitSignUps(db, ctx.ip);
  const passwordHash = await hashPassword(input.password);
  try {
    const { mail, ...created } = await db.$transaction(async (tx) => {
      if (ctx.ip) {
        // Sign-ups from one IP queue here, so two at the limit cannot both pass the count.
        await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`agora:signup-ip:${ctx.ip}`}))`;
        await limitSignUps(tx, ctx.ip);
      }
      const user = await tx.user.create({
        data: { email: input.email, name: input.name, passwordHash },
        select: { id: true, email: true, name: true, createdAt: true },
      });
      const workspace = await createPersonalWorkspace(tx, { userId: user.id, name: input.name });
      await recordAudit({ action: "user.signed_up", actorUserId: user.id, workspaceId: workspace.id, target: user.id, ip: ctx.ip }, tx);
      return {
        user,
        workspace: { id: workspace.id, name: workspace.name, slug: workspace.slug, tier: workspace.tierCode },
        // Without mail (production, no SMTP_URL) there is no link: the first top-up brings the credit.
        mail: mailAvailable() ? await verificationMail(tx, user, ctx.baseUrl, ctx.returnTo) : null,
      };
    });
    if (mail) await sendMailQuietly(mail);
    return created;
  } catch (err) {
    if ((err as { code?: string }).code === "P2002") {
      throw new ApiError("email_taken", "An account with this email already exists. Sign in instead.", { field: "email" });
    }
    throw err;
  }
}
