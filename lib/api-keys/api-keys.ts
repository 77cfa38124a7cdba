import { db } from "@/lib/db/client";
import { ApiError } from "@/lib/http/errors";
import { recordAudit } from "@/lib/audit/record-audit";
import { generateApiKey } from "@/lib/auth/api-key-secret";
import { assertCan, requireUser } from "@/lib/auth/permissions";
import { forgetPrincipals, type PackagePins, type Principal } from "@/lib/auth/principal";
import type { z } from "zod";
import { monthOf } from "@/lib/ledger/budgets";
import { microsJson } from "@/lib/money/format";
import { assertPinsResolve, readPins } from "@/lib/packages/pins";
import type { updateApiKeyBodySchema } from "./schemas";

const publicFields = {
  id: true,
  name: true,
  prefix: true,
  createdAt: true,
  lastUsedAt: true,
  revokedAt: true,
  monthlySpendLimitMicros: true,
  requestsPerMinute: true,
  runsPerHour: true,
  packagePins: true,
} as const;

type KeyRow = { id: string; name: string; prefix: string; createdAt: Date; lastUsedAt: Date | null; revokedAt: Date | null; monthlySpendLimitMicros: bigint | null; requestsPerMinute: number | null; runsPerHour: number | null; packagePins: unknown };

/** `pins`: the key's version pins (issue 20), slug → range. */
export type ApiKeySummary = Omit<KeyRow, "monthlySpendLimitMicros" | "packagePins"> & { monthlySpendLimitMicros: number | null; pins: PackagePins };

const summary = ({ monthlySpendLimitMicros, packagePins, ...k }: KeyRow): ApiKeySummary => ({
  ...k,
  monthlySpendLimitMicros: monthlySpendLimitMicros === null ? null : microsJson(monthlySpendLimitMicros),
  pins: readPins(packagePins),
});

export type ApiKeyListItem = ApiKeySummary & { spentThisMonthMicros: number };

/** The workspace's keys with their limits and what each spent this month (one query for all counters). */
export async function listApiKeys(principal: Principal): Promise<ApiKeyListItem[]> {
  const keys = await db.apiKey.findMany({
    where: { workspaceId: principal.workspace.id },
    select: publicFields,
    orderBy: [{ revokedAt: { sort: "desc", nulls: "first" } }, { createdAt: "desc" }],
  });
  const counters = await db.spendCounter.findMany({
    where: { workspaceId: principal.workspace.id, month: monthOf(new Date()), scope: { in: keys.map((k) => k.id) } },
    select: { scope: true, spentMicros: true },
  });
  const spent = new Map(counters.map((c) => [c.scope, c.spentMicros]));
  return keys.map((k) => ({ ...summary(k), spentThisMonthMicros: microsJson(spent.get(k.id) ?? 0n) }));
}

/** 404 for ids of other workspaces too: existence never leaks across tenants. */
export async function getApiKeyOrThrow(principal: Principal, id: string): Promise<ApiKeySummary & { createdById: string | null }> {
  const key = await db.apiKey.findFirst({
    where: { id, workspaceId: principal.workspace.id },
    select: { ...publicFields, createdById: true },
  });
  if (!key) throw new ApiError("not_found", "No API key with this id in this workspace.");
  return { ...summary(key), createdById: key.createdById };
}

type KeyLimits = z.output<typeof updateApiKeyBodySchema>;
const limitsData = (l: KeyLimits) => ({
  ...(l.monthlySpendLimitMicros === undefined ? {} : { monthlySpendLimitMicros: l.monthlySpendLimitMicros === null ? null : BigInt(l.monthlySpendLimitMicros) }),
  ...(l.requestsPerMinute === undefined ? {} : { requestsPerMinute: l.requestsPerMinute }),
  ...(l.runsPerHour === undefined ? {} : { runsPerHour: l.runsPerHour }),
  ...(l.pins === undefined ? {} : { packagePins: l.pins }),
});

/** Changes a key's own limits (spend, requests/min, runs/hour) and/or replaces its version pins; same rights as revoking it; audit-logged. */
export async function updateApiKey(principal: Principal, id: string, limits: KeyLimits, ip: string | null = null): Promise<ApiKeySummary> {
  assertCan(principal, "keys.manage");
  const user = requireUser(principal);
  const key = await getApiKeyOrThrow(principal, id);
  if (user.role !== "OWNER" && key.createdById !== user.userId) {
    throw new ApiError("forbidden", "Only a workspace owner can change a key someone else created.");
  }
  const updated = await db.$transaction(async (tx) => {
    if (limits.pins) await assertPinsResolve(limits.pins, tx);
    const row = await tx.apiKey.update({ where: { id: key.id }, data: limitsData(limits), select: publicFields });
    await recordAudit({ action: "api_key.limits_changed", actorUserId: user.userId, workspaceId: user.workspace.id, target: key.id, metadata: limits, ip }, tx);
    return summary(row);
  });
  await forgetPrincipals({ apiKeyId: key.id });
  return updated;
}

/** Creates a key; the returned `secret` is the only time it is ever visible. */
export async function createApiKey(principal: Principal, input: { name: string } & KeyLimits, ip: string | null = null) {
  assertCan(principal, "keys.manage");
  const user = requireUser(principal);
  const { secret, hash, prefix } = generateApiKey();
  return db.$transaction(async (tx) => {
    if (input.pins) await assertPinsResolve(input.pins, tx);
    const key = await tx.apiKey.create({
      data: { workspaceId: user.workspace.id, name: input.name, prefix, hash, createdById: user.userId, ...limitsData(input) },
      select: publicFields,
    });
    await recordAudit(
      { action: "api_key.created", actorUserId: user.userId, workspaceId: user.workspace.id, target: key.id, metadata: { name: key.name, prefix, ...(input.pins ? { pins: input.pins } : {}) }, ip },
      tx,
    );
    return { ...summary(key), secret };
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
  const { createdById: _omit, ...visible } = key;
  if (key.revokedAt) return visible;
  const revoked = await db.$transaction(async (tx) => {
    const row = await tx.apiKey.update({ where: { id: key.id }, data: { revokedAt: new Date() }, select: publicFields });
    await recordAudit({ action: "api_key.revoked", actorUserId: user.userId, workspaceId: user.workspace.id, target: key.id, ip }, tx);
    return summary(row);
  });
  await forgetPrincipals({ apiKeyId: key.id });
  return revoked;
}
