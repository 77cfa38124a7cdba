import type { RunOutcome } from "./hooks";

/**
 * SPEC §3 charging policy: a SUCCEEDED run pays base fee + model cost × tier
 * multiplier; a FAILED run pays nothing; a CANCELED run pays for the tokens it
 * consumed. Multipliers are basis points; rounding is half up, once.
 */
export function runPrice(status: RunOutcome["status"], costMicros: bigint, baseFeeMicros: bigint, multiplierBps: number): bigint {
  const marked = (costMicros * BigInt(multiplierBps) + 5_000n) / 10_000n;
  if (status === "SUCCEEDED") return baseFeeMicros + marked;
  if (status === "CANCELED") return marked;
  return 0n;
}
