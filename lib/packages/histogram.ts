// Fixed log-scale histograms of run durations and prices (issue 20): the
// packages.count job adds each tallied run to its version's day row
// (PackageHistogramDaily), and percentiles are read from summed rows, never
// from runs.
//
// A histogram is an int[] of counts. Its `bounds` are geometric (each √2 times
// the one before, rounded to whole units); bucket 0 holds [0, bounds[0]),
// bucket k holds [bounds[k-1], bounds[k]), and the last bucket
// [bounds[last], ∞) everything above. In SQL the bucket of a value v is
// width_bucket(v, bounds) (0-based; the array's index is that + 1).
//
// Precision: a percentile is interpolated linearly inside the bucket that holds
// its rank, so it is exact at bucket edges and otherwise within the bucket —
// at most a factor √2 (≈ 41 %) from the true value, typically much closer. A
// percentile in the open last bucket is reported as that bucket's lower bound.
//
// Duration: 40 bounds from 10 ms to ≈ 2 h. Price (charged micro-USD, successful
// runs only): 48 bounds from 100 µ$ ($0.0001) to ≈ $1,186.

function geometric(first: number, count: number): number[] {
  const bounds: number[] = [];
  for (let i = 0; i < count; i++) bounds.push(Math.round(first * Math.SQRT2 ** i));
  return bounds;
}

/** Upper bounds of the duration buckets, milliseconds. */
export const DURATION_BOUNDS_MS: readonly number[] = geometric(10, 40);
/** Upper bounds of the price buckets, micro-USD. */
export const PRICE_BOUNDS_MICROS: readonly number[] = geometric(100, 48);

/** The 0-based bucket of `value` (as SQL `width_bucket(value, bounds)` gives it). */
export function bucketOf(bounds: readonly number[], value: number): number {
  let k = 0;
  while (k < bounds.length && value >= bounds[k]!) k++;
  return k;
}

/** Element-wise sum (like SQL `agora_add_counts`): a missing bucket counts 0. */
export function addCounts(a: readonly number[], b: readonly number[]): number[] {
  return Array.from({ length: Math.max(a.length, b.length) }, (_, i) => (a[i] ?? 0) + (b[i] ?? 0));
}

/**
 * The `p`-th quantile (0 < p ≤ 1) of a histogram over `bounds`, interpolated
 * inside its bucket (see the header for the precision); null when it is empty.
 */
export function percentile(bounds: readonly number[], counts: readonly number[], p: number): number | null {
  const total = counts.reduce((n, c) => n + c, 0);
  if (total === 0) return null;
  const rank = Math.max(p * total, Number.MIN_VALUE);
  let below = 0;
  for (let k = 0; k < counts.length; k++) {
    const n = counts[k] ?? 0;
    if (n > 0 && below + n >= rank) {
      const lo = k === 0 ? 0 : bounds[k - 1]!;
      if (k >= bounds.length) return lo;
      return Math.round(lo + ((bounds[k]! - lo) * (rank - below)) / n);
    }
    below += n;
  }
  return bounds[bounds.length - 1]!;
}
