import { db } from "@/lib/db/client";
import { ApiError } from "@/lib/http/errors";
import { hashPassword } from "@/lib/auth/password";
import { recordAudit } from "@/lib/audit/record-audit";
import { mailAvailable, sendMailQuietly } from "@/lib/mail/mail";
import { createPersonalWorkspace } from "@/lib/workspaces/create-personal-workspace";
import type { z } from "zod";
import { verificationMail } from "./email-verification";
import type { signUpBodySchema } from "./schemas";

type SignUpInput = z.output<typeof signUpBodySchema>;

/** `ip`: the client's, for the audit log; `baseUrl`: the app's public URL, for the mailed link. */
export type SignUpContext = { ip: string | null; baseUrl: string };

/**
 * Creates the user, their personal workspace and its owner membership, all or
 * nothing — with no credit yet: the verification link mailed after the commit
 * brings the starting credit. A mail that fails is logged; the user can ask again.
 */
export async function signUp(input: SignUpInput, ctx: SignUpContext) {
  const passwordHash = await hashPassword(input.password);
  try {
    const { mail, ...created } = await db.$transaction(async (tx) => {
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
        mail: mailAvailable() ? await verificationMail(tx, user, ctx.baseUrl) : null,
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
