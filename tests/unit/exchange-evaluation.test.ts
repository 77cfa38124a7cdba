import { describe, expect, it } from "vitest";
import { FIT_WEIGHT, NEUTRAL, PRICE_WEIGHT, rankBids, schemaFit, TIME_WEIGHT, TRUST_WEIGHT, type RankableBid } from "@/lib/exchange/evaluation";

// Bid evaluation (issue 21 item 3): one transparent score from price, trust, fit
// and promised time, each part shown; no self-reported confidence counts.

const at = new Date("2026-12-01T10:00:00Z");
const work = {
  budgetMicros: 5_000_000n,
  capabilities: ["summarize", "citations"],
  acceptance: { outputSchema: { type: "object", required: ["summary", "score"], properties: { summary: { type: "string" }, score: { type: "number" } } } },
  deliveryDeadline: new Date(at.getTime() + 120 * 60_000), // two hours left
};
const fullOutput = { type: "object", properties: { summary: { type: "string" }, score: { type: "integer" } } };

function bid(over: Partial<RankableBid> & { id: string }): RankableBid {
  return { priceMicros: 2_500_000n, promisedMinutes: 60, createdAt: at, package: { capabilities: ["summarize", "citations"], outputSchema: fullOutput }, trustScore: 0.8, ...over };
}

describe("rankBids", () => {
  it("scores each part in 0..1 and the total as their weighted sum", () => {
    const [ranked] = rankBids(work, [bid({ id: "a" })], at);
    expect(ranked!.rank).toMatchObject({ price: 0.5, trust: 0.8, fit: 1, time: 0.5 });
    expect(ranked!.rank.score).toBeCloseTo(PRICE_WEIGHT * 0.5 + TRUST_WEIGHT * 0.8 + FIT_WEIGHT * 1 + TIME_WEIGHT * 0.5, 3);
    expect(ranked!.rank.explanation).toContain("$2.50 of a $5 budget");
    expect(ranked!.rank.explanation).toContain("2/2 capabilities");
    expect(ranked!.rank.explanation).toContain("60 of 120 min left");
  });

  it("puts the better bid first: a much cheaper one ahead, a distrusted one last", () => {
    const ranked = rankBids(work, [bid({ id: "pricey", priceMicros: 4_900_000n }), bid({ id: "cheap", priceMicros: 1_000_000n }), bid({ id: "distrusted", trustScore: 0.1 })], at);
    expect(ranked.map((b) => b.id)).toEqual(["cheap", "pricey", "distrusted"]);
    expect(ranked[0]!.rank.score).toBeGreaterThan(ranked[1]!.rank.score);
  });

  it("gives a promise past the delivery deadline 0 for time, and a bid at the budget 0 for price", () => {
    const [late] = rankBids(work, [bid({ id: "late", promisedMinutes: 121, priceMicros: 5_000_000n })], at);
    expect(late!.rank).toMatchObject({ time: 0, price: 0 });
    expect(late!.rank.explanation).toContain("past the delivery deadline");
  });

  it("is neutral on trust for a new package and on trust and fit for a hand bid without a package", () => {
    const ranked = rankBids(work, [bid({ id: "new", trustScore: null }), bid({ id: "hand", package: null, trustScore: null })], at);
    const byId = Object.fromEntries(ranked.map((b) => [b.id, b.rank]));
    expect(byId.new!.trust).toBe(NEUTRAL);
    expect(byId.hand).toMatchObject({ trust: NEUTRAL, fit: NEUTRAL });
  });

  it("scores fit from capability overlap and whether the package's output schema can satisfy the acceptance schema", () => {
    const partial = { type: "object", properties: { summary: { type: "number" }, score: { type: "number" } } }; // summary has the wrong type
    const [r] = rankBids(work, [bid({ id: "x", package: { capabilities: ["summarize"], outputSchema: partial } })], at);
    expect(r!.rank.fit).toBe(0.5); // (1/2 capabilities + 1/2 required fields) / 2
    expect(schemaFit(work.acceptance, { properties: {} })).toMatchObject({ part: 0 });
    expect(schemaFit({ outputSchema: { type: "object" } }, {})).toMatchObject({ part: 1 });
    expect(schemaFit(work.acceptance, { properties: { summary: {}, score: { type: ["integer", "null"] } } }).part).toBe(0.5); // null is not a number
  });

  it("breaks equal scores by price, then by who bid first", () => {
    const early = bid({ id: "b-early", createdAt: new Date(at.getTime() - 1000) });
    const late = bid({ id: "a-late" });
    expect(rankBids(work, [late, early], at).map((b) => b.id)).toEqual(["b-early", "a-late"]);
  });

it("a required field named like an object's built-in (constructor) is offered only when the package's schema has it", () => {
  const acceptance = { outputSchema: { type: "object", properties: { constructor: { type: "string" } }, required: ["constructor"] } };
  expect(schemaFit(acceptance, { type: "object", properties: {} }).part).toBe(0);
  expect(schemaFit(acceptance, { type: "object", properties: { constructor: { type: "string" } } }).part).toBe(1);
});
});
