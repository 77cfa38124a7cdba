import type { KeyLimits, Principal, PrincipalWorkspace } from "@/lib/auth/principal";
import { db, type DbTx } from "@/lib/db/client";
import { env } from "@/lib/env";
import { ApiError } from "@/lib/http/errors";
import { dayOf } from "@/lib/usage/rollup";
import { hit, peek, secondsToUtcMidnight, type Decision, type Hit } from "./sliding-window";
import { rateLimitStore } from "./store";
import { metrics } from "@/lib/observability/metrics";

// The four limits of SPEC §5, per workspace (its tier), with an API key's own
// overrides applied on top (a key with an override has its own bucket too):
//  - requests/min on every /api/v1 request (route wrapper). Requests from our
//    own pages (a session, not a key) have a per-user bucket instead
//    (AGORA_SESSION_REQUESTS_PER_MINUTE), so the product's UI works on any tier;
//  - runs/hour, counted when a run is accepted (and uncounted if it is refused),
//    after the concurrent-runs check: a run refused for concurrency never counts;
//  - concurrent runs: QUEUED + RUNNING top-level runs, counted in the accepting
//    transaction under a per-workspace lock, so N racing runs never exceed it;
//  - tokens/day: today's (UTC) tokens from the usage rollup; a run starts only
//    while the workspace is under it.
// Child runs (agents calling agents) are part of their parent and count for none.

export type Dimension = "requests_per_minute" | "runs_per_hour" | "concurrent_runs" | "tokens_per_day";

export class RateLimited extends ApiError {
  constructor(
    readonly dimension: Dimension,
    readonly decision: Decision,
    message: string,
  ) {
    super("rate_limited", message, { dimension, limit: decision.limit, retryAfterSeconds: decision.retryAfterSeconds });
    metrics().rateLimited.inc({ dimension });
  }
}

/** `RateLimit-*` headers (and `Retry-After` when refused) for a decision. */
export function rateLimitHeaders(d: Decision): Record<string, string> {
  const h: Record<string, string> = { "RateLimit-Limit": String(d.limit), "RateLimit-Remaining": String(d.remaining), "RateLimit-Reset": String(d.resetSeconds) };
  if (!d.allowed) h["Retry-After"] = String(d.retryAfterSeconds);
  return h;
}

type Bucket = { key: string; limit: number };

const ws = (w: Pick<PrincipalWorkspace, "id">) => w.id;

function requestBuckets(p: Principal): Bucket[] {
  if (p.kind === "user") return [{ key: `req:user:${p.userId}`, limit: env().AGORA_SESSION_REQUESTS_PER_MINUTE }];
  const buckets = [{ key: `req:ws:${ws(p.workspace)}`, limit: p.workspace.limits.requestsPerMinute }];
  if (p.keyLimits.requestsPerMinute !== null) buckets.push({ key: `req:key:${p.apiKeyId}`, limit: p.keyLimits.requestsPerMinute });
  return buckets;
}

/** For a run's caller (a principal, or a child run's parent caller). */
export type LimitedCaller = { apiKeyId: string | null; keyLimits?: KeyLimits | null; workspace: Pick<PrincipalWorkspace, "id" | "limits"> };

function runBuckets(c: LimitedCaller): Bucket[] {
  const buckets = [{ key: `runs:ws:${ws(c.workspace)}`, limit: c.workspace.limits.runsPerHour }];
  if (c.apiKeyId && c.keyLimits?.runsPerHour != null) buckets.push({ key: `runs:key:${c.apiKeyId}`, limit: c.keyLimits.runsPerHour });
  return buckets;
}

/**
 * The clock every limit reads: the sliding windows' "now" and the UTC day of tokens/day.
 * The wall clock; a test of a window's or a day's counts sets it to a moment of its choosing.
 */
export const rateLimitClock = { now: (): number => Date.now() };

/** Counts in every bucket; if one refuses, the others give their point back. Returns the tightest decision. */
async function hitAll(buckets: Bucket[], windowSeconds: number, dimension: Dimension, what: string): Promise<Hit> {
  const limiter = rateLimitStore().limiter(windowSeconds);
  const now = rateLimitClock.now();
  const hits = await Promise.all(buckets.map((b) => hit(limiter, b.key, b.limit, windowSeconds, now)));
  const refused = hits.find((d) => !d.allowed);
  if (refused) {
    await Promise.all(hits.map((h) => h.undo()));
    throw new RateLimited(dimension, refused, `Rate limit reached: ${refused.limit} ${what}. Retry in ${refused.retryAfterSeconds} s.`);
  }
  const tightest = hits.reduce((a, b) => (b.remaining < a.remaining ? b : a));
  return { ...tightest, undo: async () => void (await Promise.all(hits.map((h) => h.undo()))) };
}

/** The requests/min check of one /api/v1 request; the decision's headers go on the response. */
export function limitRequest(p: Principal): Promise<Decision> {
  return hitAll(requestBuckets(p), 60, "requests_per_minute", "requests per minute");
}

/** Tokens/day, before a top-level run is accepted (outside its transaction: nothing there changes it). */
export async function assertTokensLeft(c: LimitedCaller): Promise<void> {
  const used = await tokensToday(db, c.workspace.id);
  const tokenLimit = c.workspace.limits.tokensPerDay;
  if (used >= tokenLimit) {
    const wait = secondsToUtcMidnight(new Date(rateLimitClock.now()));
    throw new RateLimited("tokens_per_day", { allowed: false, limit: tokenLimit, remaining: 0, resetSeconds: wait, retryAfterSeconds: wait }, `Daily token limit reached (${tokenLimit.toLocaleString("en-US")} tokens); it resets at midnight UTC.`);
  }
}

/**
 * In a top-level run's accepting transaction: concurrent runs, under the
 * workspace's run lock (so N racing runs never exceed it), then runs/hour is
 * counted — so a burst refused for concurrency never fills runs/hour, and each
 * refusal names the limit that caused it. Returns how to uncount the run if it
 * is refused after all.
 */
export async function limitRunStart(tx: DbTx, c: LimitedCaller): Promise<{ refund(): Promise<void> }> {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`agora:concurrent-runs:${c.workspace.id}`}))`;
  const limit = c.workspace.limits.concurrentRuns;
  const active = await activeRuns(tx, c.workspace.id);
  if (active >= limit) {
    throw new RateLimited("concurrent_runs", { allowed: false, limit, remaining: 0, resetSeconds: 1, retryAfterSeconds: 1 }, `Rate limit reached: ${limit} run${limit === 1 ? "" : "s"} at once on this workspace's tier, and ${active} ${active === 1 ? "is" : "are"} queued or running. Retry when one finishes.`);
  }
  const counted = await hitAll(runBuckets(c), 3600, "runs_per_hour", "runs per hour");
  return { refund: counted.undo };
}

const activeRuns = (tx: DbTx, workspaceId: string) => tx.run.count({ where: { workspaceId, depth: 0, status: { in: ["QUEUED", "RUNNING"] } } });

async function tokensToday(tx: DbTx, workspaceId: string): Promise<number> {
  const [row] = await tx.$queryRaw<{ tokens: bigint | null }[]>`
    SELECT sum("inputTokens" + "outputTokens" + "cacheReadTokens" + "cacheWriteTokens")::bigint AS tokens
    FROM "UsageDaily" WHERE "workspaceId" = ${workspaceId} AND "day" = ${dayOf(new Date(rateLimitClock.now()))}::date`;
  return Number(row?.tokens ?? 0n);
}

/** Each dimension's use and limit for the caller (GET /api/v1/rate-limits). */
export async function rateLimitStatus(p: Principal) {
  const store = rateLimitStore();
  const now = rateLimitClock.now();
  const [requests, runs, concurrent, tokens] = await Promise.all([
    Promise.all(requestBuckets(p).map((b) => peek(store.limiter(60), b.key, b.limit, 60, now))),
    Promise.all(runBuckets({ ...p, keyLimits: p.kind === "api_key" ? p.keyLimits : null }).map((b) => peek(store.limiter(3600), b.key, b.limit, 3600, now))),
    activeRuns(db, p.workspace.id),
    tokensToday(db, p.workspace.id),
  ]);
  const tightest = <T extends { remaining: number }>(xs: T[]) => xs.reduce((a, b) => (b.remaining < a.remaining ? b : a));
  const tokenLimit = p.workspace.limits.tokensPerDay;
  const concurrentLimit = p.workspace.limits.concurrentRuns;
  return {
    backend: store.backend,
    tier: p.workspace.tierCode,
    appliesTo: p.kind === "user" ? "session" : "api_key",
    limits: {
      requestsPerMinute: tightest(requests),
      runsPerHour: tightest(runs),
      concurrentRuns: { limit: concurrentLimit, used: concurrent, remaining: Math.max(0, concurrentLimit - concurrent), resetSeconds: null },
      tokensPerDay: { limit: tokenLimit, used: tokens, remaining: Math.max(0, tokenLimit - tokens), resetSeconds: secondsToUtcMidnight() },
    },
  };
}
