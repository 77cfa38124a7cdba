import { describe, expect, it } from "vitest";
import { prefixQuery } from "@/lib/agents/catalog-match";
import { defaultModelPrices, modelCostMicros } from "@/lib/llm/model-prices";
import { jsonEqual } from "@/lib/runs/json-equal";
import { runPrice } from "@/lib/runs/money/price";

const price = (model: string) => defaultModelPrices.find((p) => p.model === model)!;
const tokens = (i: number, o: number, w = 0, r = 0) => ({ inputTokens: i, outputTokens: o, cacheWriteTokens: w, cacheReadTokens: r });

describe("model cost", () => {
  it("is exact integer micro-USD, rounded half up once", () => {
    expect(modelCostMicros(price("claude-sonnet-5-5"), tokens(1_000_000, 0))).toBe(2_000_000n);
    expect(modelCostMicros(price("claude-sonnet-5-5"), tokens(1, 0))).toBe(2n); // $2 per million tokens = 2 micro-USD a token
    expect(modelCostMicros(price("claude-sonnet-5-5"), tokens(250_000, 0))).toBe(500_000n);
    expect(modelCostMicros(price("claude-haiku-4-5"), tokens(1, 1, 1, 1))).toBe(7n); // 1 + 5 + 1.25 + 0.1 = 7.35
    expect(modelCostMicros(price("claude-haiku-4-5"), tokens(0, 0, 2, 5))).toBe(3n); // 2.5 + 0.5 = 3.0
    expect(modelCostMicros(price("claude-haiku-4-5"), tokens(0, 0, 0, 5))).toBe(1n); // 0.5 rounds half up
    expect(modelCostMicros(price("claude-opus-5-5"), tokens(123_457, 9_876, 1_000, 50_000))).toBe(BigInt(Math.round(123_457 * 4 + 9_876 * 20 + 1_000 * 5 + 50_000 * 0.4)));
    expect(modelCostMicros(price("offline"), tokens(10_000, 10_000))).toBe(0n);
  });
});

describe("run price (SPEC §3 charging policy)", () => {
  it("charges base fee + marked-up cost on success, marked-up cost on cancel, nothing on failure", () => {
    expect(runPrice("SUCCEEDED", 1_000n, { baseFeeMicros: 2_000n, priceMultiplierBps: 15_000 })).toBe(3_500n);
    expect(runPrice("CANCELED", 1_000n, { baseFeeMicros: 2_000n, priceMultiplierBps: 15_000 })).toBe(1_500n);
    expect(runPrice("FAILED", 1_000n, { baseFeeMicros: 2_000n, priceMultiplierBps: 15_000 })).toBe(0n);
    expect(runPrice("SUCCEEDED", 3n, { baseFeeMicros: 0n, priceMultiplierBps: 11_000 })).toBe(3n); // 3.3 → 3
    expect(runPrice("SUCCEEDED", 5n, { baseFeeMicros: 0n, priceMultiplierBps: 13_000 })).toBe(7n); // 6.5 → 7
  });
});

describe("idempotency input comparison", () => {
  it("ignores key order and undefined fields, but not values", () => {
    expect(jsonEqual({ a: 1, b: [1, { c: "x" }] }, { b: [1, { c: "x" }], a: 1 })).toBe(true);
    expect(jsonEqual({ a: 1, b: undefined }, { a: 1 })).toBe(true);
    expect(jsonEqual({ a: 1 }, { a: 2 })).toBe(false);
    expect(jsonEqual([1, 2], [2, 1])).toBe(false);
    expect(jsonEqual({ a: [] }, { a: {} })).toBe(false);
  });
});

describe("catalog search query", () => {
  it("turns typed words into prefix terms and keeps only letters and digits", () => {
    expect(prefixQuery("Secr scan")).toBe("secr:* & scan:*");
    expect(prefixQuery("a') | !b:*")).toBe("a:* & b:*");
    expect(prefixQuery("   ")).toBe("");
    expect(prefixQuery(undefined)).toBe("");
  });
});
