import { describe, expect, it } from "vitest";
import { addCounts, bucketOf, DURATION_BOUNDS_MS, percentile, PRICE_BOUNDS_MICROS } from "@/lib/packages/histogram";
import { trustOf, wilson } from "@/lib/packages/trust";

describe("histogram buckets", () => {
  it("are geometric, strictly increasing, from 10 ms and 100 µ$", () => {
    for (const bounds of [DURATION_BOUNDS_MS, PRICE_BOUNDS_MICROS]) for (let i = 1; i < bounds.length; i++) expect(bounds[i]!).toBeGreaterThan(bounds[i - 1]!);
    expect(DURATION_BOUNDS_MS.slice(0, 4)).toEqual([10, 14, 20, 28]);
    expect(DURATION_BOUNDS_MS).toHaveLength(40);
    expect(PRICE_BOUNDS_MICROS).toHaveLength(48);
    expect(bucketOf(DURATION_BOUNDS_MS, 0)).toBe(0);
    expect(bucketOf(DURATION_BOUNDS_MS, 10)).toBe(1);
    expect(bucketOf(DURATION_BOUNDS_MS, 9_999_999)).toBe(40);
  });

  it("give percentiles interpolated inside the bucket holding the rank", () => {
    const counts: number[] = [];
    for (const v of [2_000, 3_000, 4_000, 6_000, 12_000]) counts[bucketOf(DURATION_BOUNDS_MS, v)] = 1;
    const dense = Array.from(counts, (n) => n ?? 0);
    expect(percentile(DURATION_BOUNDS_MS, dense, 0.5)).toBe(4_370);
    expect(percentile(DURATION_BOUNDS_MS, dense, 0.95)).toBe(13_422);
    expect(percentile(DURATION_BOUNDS_MS, [], 0.5)).toBeNull();
    // The open last bucket reports its lower bound.
    expect(percentile(DURATION_BOUNDS_MS, addCounts([], [...Array(40).fill(0), 3]), 0.5)).toBe(DURATION_BOUNDS_MS[39]);
    expect(addCounts([1, 2], [3])).toEqual([4, 2]);
  });
});

describe("trust", () => {
  it("Wilson's band narrows with n and is [0, 1] without outcomes", () => {
    expect(wilson(0.5, 0)).toEqual({ low: 0, high: 1 });
    expect(wilson(1, 3).low).toBeCloseTo(0.4385, 4);
    expect(wilson(1, 10).low).toBeCloseTo(0.7225, 4);
    expect(wilson(1, 20).low).toBeCloseTo(0.8389, 4);
  });

  it("gives each workspace one voice and caps its weight in n at 10", () => {
    const big = { s: 1_000, f: 0, counted: 1_000 };
    const small = { s: 0, f: 1, counted: 1 };
    const t = trustOf([big, small]);
    expect(t).toMatchObject({ estimate: 0.5, n: 11, workspaces: 2, isNew: false, score: 0.5 });
    expect(trustOf([big])).toMatchObject({ isNew: true, score: null, estimate: 1, n: 10 });
    expect(trustOf([])).toMatchObject({ isNew: true, score: null, low: 0, high: 1 });
  });
});
