import { ApiError } from "@/lib/http/errors";

// Account limits counted from rows the database keeps anyway (audit entries,
// mailed tokens), like the sign-in throttle: no counter to drift or reset.

/** The start of a window of `minutes` ending now. */
export const windowStart = (minutes: number) => new Date(Date.now() - minutes * 60_000);

/**
 * 429 when the window already holds `max` events (`oldest`: the first `max` of
 * them, oldest first); Retry-After is when the oldest leaves it.
 */
export function refuseWhenFull(oldest: { createdAt: Date }[], max: number, minutes: number, what: string): void {
  if (oldest.length < max) return;
  const retryAfterSeconds = Math.max(1, Math.ceil((oldest[0]!.createdAt.getTime() + minutes * 60_000 - Date.now()) / 1000));
  const wait = retryAfterSeconds < 120 ? `${retryAfterSeconds} seconds` : `${Math.ceil(retryAfterSeconds / 60)} minutes`;
  throw new ApiError("rate_limited", `${what} (at most ${max} in ${minutes} minutes). Try again in ${wait}.`, { limit: max, windowMinutes: minutes, retryAfterSeconds });
}
