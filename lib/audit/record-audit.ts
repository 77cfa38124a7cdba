import type { DbTx } from "@/lib/db/client";
import { db } from "@/lib/db/client";
import type { Prisma } from "@/lib/generated/prisma/client";

export type AuditEntry = {
  action: string;
  actorUserId?: string | null;
  actorApiKeyId?: string | null;
  workspaceId?: string | null;
  target?: string | null;
  metadata?: Prisma.InputJsonValue;
  ip?: string | null;
};

/** Appends one row to the audit log (inside `tx` when the change it records is transactional). */
export async function recordAudit(entry: AuditEntry, tx: DbTx = db): Promise<void> {
  await tx.auditLog.create({ data: entry });
}
