import { z } from "zod";
import type { KeyLimits, Principal, PrincipalWorkspace } from "@/lib/auth/principal";
import { db } from "@/lib/db/client";
import { sql } from "@/lib/db/sql";
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
//  - runs/hour, counted when a run is accepted (and uncounted if it is refused);
//    a refusal caused by a burst of attempts in flight names concurrency, not the hour;
//  - concurrent runs: QUEUED + RUNNING top-level runs, counted in the workspace's
//    RunSlot: accepting a run takes a slot with one conditional update (refused at
//    the limit, so N racing runs never exceed it), ending it gives the slot back;
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

/**
 * Tokens/day and runs/hour, before a top-level run is accepted (outside its
 * statement, so its slot and hold rows are never locked across a rate-limit
 * store call). Returns how to uncount the run if it is then refused.
 */
export async function limitRunStart(c: LimitedCaller): Promise<{ refund(): Promise<void> }> {
  const { tokens: used, live } = await workspaceUse(c.workspace.id);
  const tokenLimit = c.workspace.limits.tokensPerDay;
  if (used >= tokenLimit) {
    const wait = secondsToUtcMidnight(new Date(rateLimitClock.now()));
    throw new RateLimited("tokens_per_day", { allowed: false, limit: tokenLimit, remaining: 0, resetSeconds: wait, retryAfterSeconds: wait }, `Daily token limit reached (${tokenLimit.toLocaleString("en-US")} tokens); it resets at midnight UTC.`);
  }
  try {
    const counted = await hitAll(runBuckets(c), 3600, "runs_per_hour", "runs per hour");
    return { refund: counted.undo };
  } catch (err) {
    if (err instanceof RateLimited && (await burstAtOnce(c, err.decision.limit, live))) throw concurrencyRefusal(c.workspace.limits.concurrentRuns);
    throw err;
  }
}

/**
 * Whether a runs/hour refusal is really a burst of runs starting at once: the
 * hour's bucket also holds attempts still in flight (each gives its point back
 * if concurrency then refuses it), so a burst past the concurrent-runs limit
 * can fill it although the hour holds few runs. It is, when fewer runs than
 * the limit actually started in the hour and the attempts in flight alone would
 * take every concurrent slot left. Read only on this refusal path.
 */
async function burstAtOnce(c: LimitedCaller, hourLimit: number, active: number): Promise<boolean> {
  const since = new Date(rateLimitClock.now() - 3_600_000);
  const started = await db.run.count({ where: { workspaceId: c.workspace.id, depth: 0, createdAt: { gte: since }, ...(c.apiKeyId && c.keyLimits?.runsPerHour != null ? { apiKeyId: c.apiKeyId } : {}) } });
  return started < hourLimit && active + (hourLimit - started) >= c.workspace.limits.concurrentRuns;
}

/** The 429 of a run past the workspace's concurrent runs (refused by the accept's slot, lib/runs/accept-run.ts). */
export const concurrencyRefusal = (limit: number) =>
  new RateLimited("concurrent_runs", { allowed: false, limit, remaining: 0, resetSeconds: 1, retryAfterSeconds: 1 }, `Rate limit reached: ${limit} run${limit === 1 ? "" : "s"} at once on this workspace's tier. Retry when one finishes.`);

/**
 * In one read: today's (UTC) tokens, from the usage rollup, and the workspace's runs queued or running
 * (started by a principal: children are part of their parent) — its RunSlot's count.
 */
async function workspaceUse(workspaceId: string): Promise<{ tokens: number; live: number }> {
  const [row] = await sql.query<{ tokens: bigint | null; live: number | null }>(
    `SELECT (SELECT sum("inputTokens" + "outputTokens" + "cacheReadTokens" + "cacheWriteTokens") FROM "UsageDaily" WHERE "workspaceId" = $1 AND "day" = $2::date)::bigint AS tokens,
            (SELECT "live" FROM "RunSlot" WHERE "workspaceId" = $1) AS live`,
    [workspaceId, dayOf(new Date(rateLimitClock.now())).toISOString().slice(0, 10)],
  );
  return { tokens: Number(row?.tokens ?? 0n), live: row?.live ?? 0 };
}

/** Each dimension's use and limit for the caller (GET /api/v1/rate-limits). */
export async function rateLimitStatus(p: Principal) {
  const store = rateLimitStore();
  const now = rateLimitClock.now();
  const [requests, runs, { live: concurrent, tokens }] = await Promise.all([
    Promise.all(requestBuckets(p).map((b) => peek(store.limiter(60), b.key, b.limit, 60, now))),
    Promise.all(runBuckets({ ...p, keyLimits: p.kind === "api_key" ? p.keyLimits : null }).map((b) => peek(store.limiter(3600), b.key, b.limit, 3600, now))),
    workspaceUse(p.workspace.id),
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

const limitUse = (reset: z.ZodType) => z.object({ limit: z.number().int(), used: z.number().int(), remaining: z.number().int(), resetSeconds: reset });
/** GET /api/v1/rate-limits's body (rateLimitStatus; lib/http/route.ts `response`). */
export const rateLimitStatusSchema = z.object({
  backend: z.string(),
  tier: z.string(),
  appliesTo: z.enum(["session", "api_key"]),
  limits: z.object({
    requestsPerMinute: limitUse(z.number().int()),
    runsPerHour: limitUse(z.number().int()),
    concurrentRuns: limitUse(z.null()),
    tokensPerDay: limitUse(z.number().int()),
  }),
});
