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
