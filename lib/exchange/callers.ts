import type { Principal } from "@/lib/auth/principal";
import type { DbTx } from "@/lib/db/client";
import { ApiError } from "@/lib/http/errors";
import type { Actor } from "./transition";

// Who acts in the exchange: the principal as a WorkEvent/audit actor, its
// idempotency keys scoped to its workspace, and its workspace's provider (a
// workspace bids as its provider; one that is none cannot bid).

export const actorOf = (p: Principal): Actor => ({ userId: p.userId, apiKeyId: p.apiKeyId });

/** A client's idempotency key, scoped to its workspace and the action (WorkEvent keys are global). */
export const scopedKey = (p: Principal, action: string, key: string | undefined) => (key ? `${p.workspace.id}:${action}:${key}` : null);

/** The caller workspace's provider, or null when it is not one. */
export async function callerProvider(tx: DbTx, workspaceId: string): Promise<{ id: string; slug: string } | null> {
  return tx.provider.findUnique({ where: { workspaceId }, select: { id: true, slug: true } });
}

/** A 400 naming the field of the caller's request that is wrong (as validation errors' `details.issues`). */
export const invalidField = (path: string, message: string) => new ApiError("validation_failed", `${path}: ${message}`, { issues: [{ path, message }] });
