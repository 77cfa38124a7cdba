/** Micro-USD in JSON: a number, which is exact below 2^53 micro-USD (≈ $9 billion). */
export function microsJson(value: bigint): number {
  const n = Number(value);
  if (!Number.isSafeInteger(n)) throw new RangeError(`amount ${value} micro-USD is beyond exact JSON numbers`);
  return n;
}

/** Micro-USD as dollars for display, rounded (cents from $1 up): small amounts keep their significant digits. Pair it with `formatUsdExact` on hover. */
export function formatUsd(micros: number): string {
  const abs = Math.abs(micros);
  const digits = abs < 10_000 ? 6 : abs < 1_000_000 ? 4 : 2;
  // Cents stay as a pair ("$10.50", "$0.50"); whole dollars drop them ("$25").
  const text = (abs / 1_000_000).toFixed(digits).replace(/(\.\d\d\d*?)0+$/, "$1").replace(/\.00$/, "");
  return `${micros < 0 ? "-" : ""}$${text}`;
}

/** Micro-USD as dollars to the exact micro-dollar ("$24.998", "$0.000123", "$10.50", "$25"): integer arithmetic, no float rounding. */
export function formatUsdExact(micros: number): string {
  const abs = Math.abs(micros);
  const fraction = String(abs % 1_000_000).padStart(6, "0").replace(/0+$/, "").padEnd(2, "0").replace(/^00$/, "");
  return `${micros < 0 ? "-" : ""}$${Math.floor(abs / 1_000_000)}${fraction ? `.${fraction}` : ""}`;
}

/** "12.5" or "$12.50" → 12_500_000 micro-USD, exactly (no float arithmetic); null if it is not an amount with at most 6 decimals. */
export function parseUsdToMicros(text: string): number | null {
  const m = /^\s*\$?\s*(\d{1,7})(?:\.(\d{0,6}))?\s*$/.exec(text);
  if (!m) return null;
  return Number(m[1]) * 1_000_000 + Number((m[2] ?? "").padEnd(6, "0"));
}

/** Micro-USD as a plain decimal for an input field ("12.5"). */
export const microsToUsdInput = (micros: number) => (micros / 1_000_000).toFixed(6).replace(/\.?0+$/, "");
