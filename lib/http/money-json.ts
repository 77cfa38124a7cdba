/** Micro-USD in JSON: a number, which is exact below 2^53 micro-USD (≈ $9 billion). */
export function microsJson(value: bigint): number {
  const n = Number(value);
  if (!Number.isSafeInteger(n)) throw new RangeError(`amount ${value} micro-USD is beyond exact JSON numbers`);
  return n;
}
