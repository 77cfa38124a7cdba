import { RateLimiterMemory } from "rate-limiter-flexible";
import { describe, expect, it } from "vitest";
import { hit } from "@/lib/rate-limits/sliding-window";

// The previous window is closed when it is weighted in: each process reads it once
// per key and window (one statement per limit per request, not two).

describe("the sliding window's previous window", () => {
  it("is weighted in, and read once per key and window", async () => {
    const limiter = new RateLimiterMemory({ points: 1_000_000, duration: 120 });
    const windowMs = 60_000;
    const start = 1_000 * windowMs; // a window boundary
    for (let i = 0; i < 8; i++) await hit(limiter, "k", 100, 60, start + 1_000);

    // A quarter into the next window: 1 + 8 × 0.75 = 7 of 100 used.
    expect((await hit(limiter, "k", 100, 60, start + windowMs + windowMs / 4)).remaining).toBe(93);
    // The closed window's count is not read again: a change to it (only a racing request could make one) is not seen.
    await limiter.delete(`k:${1_000}`);
    expect((await hit(limiter, "k", 100, 60, start + windowMs + windowMs / 4)).remaining).toBe(92);
  });
});
