// List prices per million tokens in micro-USD (SPEC §4, §7). This table seeds
// ModelPrice on first start; after that the database row is the truth (admins
// edit it). The offline model is listed at $0: it costs nothing to run.

const usd = (dollars: number) => BigInt(Math.round(dollars * 1_000_000));

export const OFFLINE_MODEL = "offline";

export const defaultModelPrices = [
  // Anthropic's list prices, November 2026 (cache write = 5-minute write).
  { model: "claude-fable-5-1", displayName: "Claude Fable 5.1", input: usd(10), output: usd(50), cacheWrite: usd(12.5), cacheRead: usd(0.25) },
  { model: "claude-opus-5-5", displayName: "Claude Opus 5.5", input: usd(4), output: usd(20), cacheWrite: usd(5), cacheRead: usd(0.4) },
  { model: "claude-sonnet-5-5", displayName: "Claude Sonnet 5.5", input: usd(2), output: usd(10), cacheWrite: usd(2.5), cacheRead: usd(0.2) },
  { model: "claude-haiku-4-5", displayName: "Claude Haiku 4.5", input: usd(1), output: usd(5), cacheWrite: usd(1.25), cacheRead: usd(0.1) },
  { model: OFFLINE_MODEL, displayName: "Offline model", input: 0n, output: 0n, cacheWrite: 0n, cacheRead: 0n },
].map((p) => ({
  model: p.model,
  displayName: p.displayName,
  inputMicrosPerMTok: p.input,
  outputMicrosPerMTok: p.output,
  cacheWriteMicrosPerMTok: p.cacheWrite,
  cacheReadMicrosPerMTok: p.cacheRead,
}));

export type ModelPriceRow = (typeof defaultModelPrices)[number];
export type TokenCounts = { inputTokens: number; outputTokens: number; cacheWriteTokens: number; cacheReadTokens: number };

const PER_MTOK = 1_000_000n;

/** Exact model cost in micro-USD: Σ tokens × price / 1M, rounded half up once at the end. */
export function modelCostMicros(price: Omit<ModelPriceRow, "model" | "displayName">, t: TokenCounts): bigint {
  const scaled =
    BigInt(t.inputTokens) * price.inputMicrosPerMTok +
    BigInt(t.outputTokens) * price.outputMicrosPerMTok +
    BigInt(t.cacheWriteTokens) * price.cacheWriteMicrosPerMTok +
    BigInt(t.cacheReadTokens) * price.cacheReadMicrosPerMTok;
  return (scaled + PER_MTOK / 2n) / PER_MTOK;
}
