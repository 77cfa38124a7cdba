import { sharedCaches, type CacheGroup } from "@/lib/cache/shared-cache";
import { db } from "@/lib/db/client";
import { ApiError } from "@/lib/http/errors";
import type { Role } from "@/lib/generated/prisma/enums";
import { hashApiKey, looksLikeApiKey } from "./api-key-secret";

// Who is calling, and as which workspace. Every tenant query takes its
// workspace id from here, never from the request body (SPEC §2).

export const WORKSPACE_COOKIE = "agora-workspace";

/** The tier's limits (SPEC §5), read with the workspace so limiting a request needs no extra query. */
export type TierLimits = { requestsPerMinute: number; runsPerHour: number; concurrentRuns: number; tokensPerDay: number };

/** `priceMultiplierBps` is the tier's, read with the workspace so pricing a run needs no extra query. */
export type PrincipalWorkspace = {
  id: string;
  name: string;
  slug: string;
  tierCode: string;
  priceMultiplierBps: number;
  suspended: boolean;
  limits: TierLimits;
  paymentMode: "PREPAID" | "METERED";
  /** Since when an invoice is unpaid (null: in good standing). */
  pastDueSince: Date | null;
  /** The workspace's version pins, read with it so a pinned run needs no extra query. */
  packagePins: PackagePins;
};

/** Version pins (issue 20, lib/packages/version-range.ts): package slug → version range. */
export type PackagePins = Record<string, string>;

/** An API key's own overrides of its workspace's limits (null = the tier's). */
export type KeyLimits = { requestsPerMinute: number | null; runsPerHour: number | null };

export type Principal =
  | {
      kind: "user";
      userId: string;
      apiKeyId: null;
      email: string;
      name: string | null;
      isAdmin: boolean;
      role: Role;
      workspace: PrincipalWorkspace;
    }
  | {
      kind: "api_key";
      userId: null;
      apiKeyId: string;
      isAdmin: false;
      role: "MEMBER";
      workspace: PrincipalWorkspace;
      keyLimits: KeyLimits;
      /** The key's own version pins, ahead of the workspace's. */
      keyPins: PackagePins;
    };

const workspaceSelect = {
  id: true,
  name: true,
  slug: true,
  tierCode: true,
  suspendedAt: true,
  paymentMode: true,
  pastDueSince: true,
  packagePins: true,
  tier: { select: { priceMultiplierBps: true, requestsPerMinute: true, runsPerHour: true, concurrentRuns: true, tokensPerDay: true } },
} as const;

type WorkspaceRow = {
  id: string;
  name: string;
  slug: string;
  tierCode: string;
  suspendedAt: Date | null;
  paymentMode: PrincipalWorkspace["paymentMode"];
  pastDueSince: Date | null;
  packagePins: unknown;
  tier: Omit<TierLimits, "tokensPerDay"> & { priceMultiplierBps: number; tokensPerDay: bigint };
};

function toWorkspace(w: WorkspaceRow): PrincipalWorkspace {
  const { priceMultiplierBps, tokensPerDay, ...limits } = w.tier;
  return {
    id: w.id,
    name: w.name,
    slug: w.slug,
    tierCode: w.tierCode,
    priceMultiplierBps,
    suspended: w.suspendedAt !== null,
    limits: { ...limits, tokensPerDay: Number(tokensPerDay) },
    paymentMode: w.paymentMode,
    pastDueSince: w.pastDueSince,
    packagePins: (w.packagePins ?? {}) as PackagePins,
  };
}

/** A workspace as principals carry it (for work done on a principal's behalf later, e.g. child runs). */
export async function principalWorkspace(workspaceId: string): Promise<PrincipalWorkspace> {
  return toWorkspace(await db.workspace.findUniqueOrThrow({ where: { id: workspaceId }, select: workspaceSelect }));
}

/** An API key with its workspace and tier, as principalFromApiKey reads them in one statement. */
type ApiKeyRow = KeyLimits & { keyPins: PackagePins; id: string; workspaceId: string; createdById: string | null; tierRequestsPerMinute: number; tierRunsPerHour: number } & Omit<WorkspaceRow, "id" | "tier"> &
  Pick<WorkspaceRow["tier"], "priceMultiplierBps" | "concurrentRuns" | "tokensPerDay">;

const LAST_USED_RESOLUTION_MS = 60_000;
const lastUsedWrites = new Map<string, number>();

async function apiKeyRefusal(hash: string): Promise<ApiError> {
  const key = await db.apiKey.findUnique({ where: { hash }, select: { revokedAt: true, createdBy: { select: { disabledAt: true } } } });
  if (key && !key.revokedAt && key.createdBy?.disabledAt) {
    return new ApiError("unauthenticated", "The API key belongs to a disabled account, so it no longer works. Ask a workspace owner for a new key.");
  }
  return new ApiError("unauthenticated", "The API key is invalid or has been revoked.");
}

// Keys that work are cached by their hash (lib/cache/shared-cache.ts), tagged with
// every row the principal is read from; whoever changes one of those rows calls
// forgetPrincipals after the commit. Refusals are not cached.
const PRINCIPALS = { name: "principal", ttlMs: 60_000, maxEntries: 10_000 } as const;
const principalCache = (caches: CacheGroup) => caches.cache<ApiKeyRow>(PRINCIPALS.name, PRINCIPALS);

/** Drops cached API-key principals built from any of these rows, in every process (call after the change committed). */
export function forgetPrincipals(rows: { apiKeyId?: string; workspaceId?: string; tierCode?: string; userId?: string }): Promise<void> {
  const tags = [rows.apiKeyId && `key:${rows.apiKeyId}`, rows.workspaceId && `workspace:${rows.workspaceId}`, rows.tierCode && `tier:${rows.tierCode}`, rows.userId && `user:${rows.userId}`];
  return principalCache(sharedCaches()).invalidate({ tags: tags.filter((t): t is string => !!t) });
}

/** The key, its workspace and the tier, or an error saying why the key is refused. */
async function loadApiKey(hash: string): Promise<ApiKeyRow> {
  // A disabled user's keys stop with their sessions. The creator's state is a filter of the
  // key's own query; only a refusal looks up why. One statement — the key, its workspace
  // and the tier joined (Prisma's nested select would send three).
  const [key] = await db.$queryRaw<ApiKeyRow[]>`
    SELECT k."id", k."requestsPerMinute", k."runsPerHour", k."createdById", k."packagePins" AS "keyPins",
      w."id" AS "workspaceId", w."name", w."slug", w."tierCode", w."suspendedAt", w."paymentMode"::text AS "paymentMode", w."pastDueSince", w."packagePins",
      t."priceMultiplierBps", t."requestsPerMinute" AS "tierRequestsPerMinute", t."runsPerHour" AS "tierRunsPerHour", t."concurrentRuns", t."tokensPerDay"
    FROM "ApiKey" k
    JOIN "Workspace" w ON w."id" = k."workspaceId"
    JOIN "Tier" t ON t."code" = w."tierCode"
    LEFT JOIN "User" u ON u."id" = k."createdById"
    WHERE k."hash" = ${hash} AND k."revokedAt" IS NULL AND (k."createdById" IS NULL OR u."disabledAt" IS NULL)`;
  if (!key) throw await apiKeyRefusal(hash);
  return key;
}

const apiKeyTags = (key: ApiKeyRow) => [`key:${key.id}`, `workspace:${key.workspaceId}`, `tier:${key.tierCode}`, ...(key.createdById ? [`user:${key.createdById}`] : [])];

/** The workspace an API key acts for, or an error saying why the key is refused (`caches`: another process's, in tests). */
export async function principalFromApiKey(secret: string, caches: CacheGroup = sharedCaches()): Promise<Principal> {
  if (!looksLikeApiKey(secret)) throw new ApiError("unauthenticated", "The API key is malformed.");
  const hash = hashApiKey(secret);
  const key = await principalCache(caches).get(hash, () => loadApiKey(hash), apiKeyTags);
  // One write a minute per key at most: "last used" is for humans, not an audit trail.
  // The per-process memo skips even the conditional UPDATE on the hot path.
  const now = new Date();
  if (now.getTime() - (lastUsedWrites.get(key.id) ?? 0) >= LAST_USED_RESOLUTION_MS) {
    if (lastUsedWrites.size > 10_000) lastUsedWrites.clear();
    lastUsedWrites.set(key.id, now.getTime());
    void db.apiKey
      .updateMany({
        where: { id: key.id, OR: [{ lastUsedAt: null }, { lastUsedAt: { lt: new Date(now.getTime() - LAST_USED_RESOLUTION_MS) } }] },
        data: { lastUsedAt: now },
      })
      .catch(() => undefined);
  }
  return {
    kind: "api_key",
    userId: null,
    apiKeyId: key.id,
    isAdmin: false,
    role: "MEMBER",
    workspace: toWorkspace({
      id: key.workspaceId,
      name: key.name,
      slug: key.slug,
      tierCode: key.tierCode,
      suspendedAt: key.suspendedAt,
      paymentMode: key.paymentMode,
      pastDueSince: key.pastDueSince,
      packagePins: key.packagePins,
      tier: { priceMultiplierBps: key.priceMultiplierBps, requestsPerMinute: key.tierRequestsPerMinute, runsPerHour: key.tierRunsPerHour, concurrentRuns: key.concurrentRuns, tokensPerDay: key.tokensPerDay },
    }),
    keyLimits: { requestsPerMinute: key.requestsPerMinute, runsPerHour: key.runsPerHour },
    keyPins: key.keyPins,
  };
}

/** A browser session: the next-auth JWT (or the session built from it), whose `sessionVersion` is checked. */
export type SessionClaims = object;

/** The session version a token carries; tokens minted before versions existed carry none, which counts as 0. */
export function sessionVersionOf(claims: SessionClaims): number {
  const version = (claims as { sessionVersion?: unknown }).sessionVersion;
  return typeof version === "number" ? version : 0;
}

/**
 * A signed-in user acting in `preferredWorkspaceId` when they belong to it,
 * otherwise in their personal (or first) workspace. Disabled users are refused
 * on every request, so disabling takes effect at once even with JWT sessions;
 * so is a `session` whose version is not the user's current one (signed out
 * everywhere, password changed or reset, disabled) — checked on the same row read.
 * Without `session` the caller is our own code acting for the user, not a browser.
 */
export async function principalFromUser(userId: string, preferredWorkspaceId?: string | null, session?: SessionClaims): Promise<Principal> {
  const user = await db.user.findUnique({
    where: { id: userId },
    select: {
      id: true,
      email: true,
      name: true,
      isAdmin: true,
      disabledAt: true,
      sessionVersion: true,
      memberships: {
        select: { role: true, workspace: { select: { ...workspaceSelect, personal: true } } },
        orderBy: { createdAt: "asc" },
      },
    },
  });
  if (!user || user.disabledAt || (session && sessionVersionOf(session) !== user.sessionVersion)) {
    throw new ApiError("unauthenticated", "Your session is no longer valid. Sign in again.");
  }
  const chosen =
    user.memberships.find((m) => m.workspace.id === preferredWorkspaceId) ??
    user.memberships.find((m) => m.workspace.personal) ??
    user.memberships[0];
  if (!chosen) throw new ApiError("forbidden", "Your account does not belong to any workspace.");
  return {
    kind: "user",
    userId: user.id,
    apiKeyId: null,
    email: user.email,
    name: user.name,
    isAdmin: user.isAdmin,
    role: chosen.role,
    workspace: toWorkspace(chosen.workspace),
  };
}
