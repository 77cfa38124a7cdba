import { db } from "@/lib/db/client";
import { ApiError } from "@/lib/http/errors";
import { hashPassword } from "@/lib/auth/password";
import { recordAudit } from "@/lib/audit/record-audit";
import { createPersonalWorkspace } from "@/lib/workspaces/create-personal-workspace";
import type { z } from "zod";
import type { signUpBodySchema } from "./schemas";

type SignUpInput = z.output<typeof signUpBodySchema>;

/** Creates the user, their personal workspace and its owner membership, all or nothing. */
export async function signUp(input: SignUpInput, ip: string | null = null) {
  const passwordHash = await hashPassword(input.password);
  try {
    return await db.$transaction(async (tx) => {
      const user = await tx.user.create({
        data: { email: input.email, name: input.name, passwordHash },
        select: { id: true, email: true, name: true, createdAt: true },
      });
      const workspace = await createPersonalWorkspace(tx, { userId: user.id, name: input.name });
      await recordAudit({ action: "user.signed_up", actorUserId: user.id, workspaceId: workspace.id, target: user.id, ip }, tx);
      return { user, workspace: { id: workspace.id, name: workspace.name, slug: workspace.slug, tier: workspace.tierCode } };
    });
  } catch (err) {
    if ((err as { code?: string }).code === "P2002") {
      throw new ApiError("email_taken", "An account with this email already exists. Sign in instead.", { field: "email" });
    }
    throw err;
  }
}
