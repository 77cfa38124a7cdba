/** Micro-USD in JSON: a number, which is exact below 2^53 micro-USD (≈ $9 billion). */
export function microsJson(value: bigint): number {
  const n = Number(value);
  if (!Number.isSafeInteger(n)) throw new RangeError(`amount ${value} micro-USD is beyond exact JSON numbers`);
  return n;
}

/** Micro-USD as dollars for display: small amounts keep their significant digits. */
export function formatUsd(micros: number): string {
  const dollars = micros / 1_000_000;
  if (micros === 0) return "$0";
  const digits = Math.abs(micros) < 10_000 ? 6 : Math.abs(micros) < 1_000_000 ? 4 : 2;
  return `$${dollars.toFixed(digits).replace(/(\.\d*?[1-9])0+$/, "$1").replace(/\.0+$/, "")}`;
}

/** "12.5" or "$12.50" → 12_500_000 micro-USD, exactly (no float arithmetic); null if it is not an amount with at most 6 decimals. */
export function parseUsdToMicros(text: string): number | null {
  const m = /^\s*\$?\s*(\d{1,7})(?:\.(\d{0,6}))?\s*$/.exec(text);
  if (!m) return null;
  return Number(m[1]) * 1_000_000 + Number((m[2] ?? "").padEnd(6, "0"));
}

/** Micro-USD as a plain decimal for an input field ("12.5"). */
export const microsToUsdInput = (micros: number) => (micros / 1_000_000).toFixed(6).replace(/\.?0+$/, "");
