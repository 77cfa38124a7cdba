import { db } from "@/lib/db/client";
import { ApiError } from "@/lib/http/errors";
import { recordAudit } from "@/lib/audit/record-audit";
import { generateApiKey } from "@/lib/auth/api-key-secret";
import { assertCan, requireUser } from "@/lib/auth/permissions";
import type { Principal } from "@/lib/auth/principal";

const publicFields = { id: true, name: true, prefix: true, createdAt: true, lastUsedAt: true, revokedAt: true } as const;

export type ApiKeySummary = {
  id: string;
  name: string;
  prefix: string;
  createdAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
};

export async function listApiKeys(principal: Principal): Promise<ApiKeySummary[]> {
  return db.apiKey.findMany({
    where: { workspaceId: principal.workspace.id },
    select: publicFields,
    orderBy: [{ revokedAt: { sort: "desc", nulls: "first" } }, { createdAt: "desc" }],
  });
}

/** 404 for ids of other workspaces too: existence never leaks across tenants. */
export async function getApiKeyOrThrow(principal: Principal, id: string): Promise<ApiKeySummary & { createdById: string | null }> {
  const key = await db.apiKey.findFirst({
    where: { id, workspaceId: principal.workspace.id },
    select: { ...publicFields, createdById: true },
  });
  if (!key) throw new ApiError("not_found", "No API key with this id in this workspace.");
  return key;
}

/** Creates a key; the returned `secret` is the only time it is ever visible. */
export async function createApiKey(principal: Principal, input: { name: string }, ip: string | null = null) {
  assertCan(principal, "keys.manage");
  const user = requireUser(principal);
  const { secret, hash, prefix } = generateApiKey();
  return db.$transaction(async (tx) => {
    const key = await tx.apiKey.create({
      data: { workspaceId: user.workspace.id, name: input.name, prefix, hash, createdById: user.userId },
      select: publicFields,
    });
    await recordAudit(
      { action: "api_key.created", actorUserId: user.userId, workspaceId: user.workspace.id, target: key.id, metadata: { name: key.name, prefix }, ip },
      tx,
    );
    return { ...key, secret };
  });
}

/** Owners revoke any key of the workspace; members revoke the keys they created. Idempotent. */
export async function revokeApiKey(principal: Principal, id: string, ip: string | null = null): Promise<ApiKeySummary> {
  assertCan(principal, "keys.manage");
  const user = requireUser(principal);
  const key = await getApiKeyOrThrow(principal, id);
  if (user.role !== "OWNER" && key.createdById !== user.userId) {
    throw new ApiError("forbidden", "Only a workspace owner can revoke a key someone else created.");
  }
  if (key.revokedAt) return key;
  return db.$transaction(async (tx) => {
    const revoked = await tx.apiKey.update({ where: { id: key.id }, data: { revokedAt: new Date() }, select: publicFields });
    await recordAudit({ action: "api_key.revoked", actorUserId: user.userId, workspaceId: user.workspace.id, target: key.id, ip }, tx);
    return revoked;
  });
}
