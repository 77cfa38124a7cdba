import type { RateLimiterAbstract } from "rate-limiter-flexible";

// A sliding window over two fixed windows (the approximation Cloudflare and
// others use): the count of the current window plus the previous window's
// count weighted by how much of it still overlaps the sliding one. Counting is
// one atomic increment in the store, so concurrent requests — from any number
// of app instances — each see a distinct count: of N racing requests exactly
// the ones that fit are allowed. A refused request gives its point back.

export type Decision = {
  allowed: boolean;
  limit: number;
  remaining: number;
  /** Seconds until the current window ends (allowed) or until one more request fits (refused). */
  resetSeconds: number;
  /** Refused only: seconds to wait before one more request fits. */
  retryAfterSeconds: number;
};

type Counts = { current: number; previous: number; elapsedMs: number };

function secondsUntilFits({ current, previous, elapsedMs }: Counts, limit: number, windowMs: number): number {
  // Within this window: previous × (1 − (elapsed + t)/W) ≤ limit − 1 − current.
  const room = limit - 1 - current;
  let ms: number;
  if (room >= 0) ms = previous > 0 ? windowMs * (1 - room / previous) - elapsedMs : 0;
  // Or in the next one, where this window's count becomes the weighted previous.
  else ms = windowMs - elapsedMs + (current > 0 ? windowMs * Math.max(0, 1 - (limit - 1) / current) : 0);
  return Math.max(1, Math.ceil(ms / 1000));
}

const windowIndex = (now: number, windowMs: number) => Math.floor(now / windowMs);

// The previous window is closed: its count no longer changes (but for a request racing the
// boundary), so each process reads it once per key and window instead of on every request —
// one statement per limit per request instead of two.
const MAX_CLOSED = 10_000;
const closedWindows = new WeakMap<RateLimiterAbstract, Map<string, number>>();

async function closedWindowPoints(limiter: RateLimiterAbstract, key: string): Promise<number> {
  let known = closedWindows.get(limiter);
  if (!known) closedWindows.set(limiter, (known = new Map()));
  const cached = known.get(key);
  if (cached !== undefined) return cached;
  const points = (await limiter.get(key))?.consumedPoints ?? 0;
  if (known.size >= MAX_CLOSED) known.clear(); // a window's entries are useless after the next one
  known.set(key, points);
  return points;
}

/** A counted request: its decision, and how to uncount it (when another limit refuses the request). */
export type Hit = Decision & { undo(): Promise<void> };

/** Counts one request for `key` against `limit` per `windowSeconds`; refuses (and uncounts) it when over. */
export async function hit(limiter: RateLimiterAbstract, key: string, limit: number, windowSeconds: number, now = Date.now()): Promise<Hit> {
  const windowMs = windowSeconds * 1000;
  const idx = windowIndex(now, windowMs);
  const elapsedMs = now - idx * windowMs;
  const [cur, previous] = await Promise.all([limiter.consume(`${key}:${idx}`, 1), closedWindowPoints(limiter, `${key}:${idx - 1}`)]);
  const counts = { current: cur.consumedPoints, previous, elapsedMs };
  const estimate = counts.current + counts.previous * (1 - elapsedMs / windowMs);
  const undo = async () => void (await limiter.reward(`${key}:${idx}`, 1));
  if (estimate <= limit) {
    return { allowed: true, limit, remaining: Math.max(0, Math.floor(limit - estimate)), resetSeconds: Math.ceil((windowMs - elapsedMs) / 1000), retryAfterSeconds: 0, undo };
  }
  await undo();
  // Other refused requests racing this one give their points back too: at most `limit` stay counted.
  const wait = secondsUntilFits({ ...counts, current: Math.min(counts.current - 1, limit) }, limit, windowMs);
  return { allowed: false, limit, remaining: 0, resetSeconds: wait, retryAfterSeconds: wait, undo: async () => undefined };
}

/** The sliding count for `key` without counting anything (GET /api/v1/rate-limits). */
export async function peek(limiter: RateLimiterAbstract, key: string, limit: number, windowSeconds: number, now = Date.now()) {
  const windowMs = windowSeconds * 1000;
  const idx = windowIndex(now, windowMs);
  const elapsedMs = now - idx * windowMs;
  const [cur, previous] = await Promise.all([limiter.get(`${key}:${idx}`), closedWindowPoints(limiter, `${key}:${idx - 1}`)]);
  const used = Math.ceil((cur?.consumedPoints ?? 0) + previous * (1 - elapsedMs / windowMs));
  return { limit, used, remaining: Math.max(0, limit - used), resetSeconds: Math.ceil((windowMs - elapsedMs) / 1000) };
}

/** Seconds from `now` until a UTC-day window (tokens/day) resets. */
export const secondsToUtcMidnight = (now = new Date()) =>
  Math.max(1, Math.ceil((Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + 1) - now.getTime()) / 1000));
