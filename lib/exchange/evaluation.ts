import { formatUsd } from "@/lib/money/format";

// Bid evaluation (issue 21 item 3): one transparent score in 0..1 per bid, the
// weighted sum of four parts, each in 0..1 and shown to the buyer with a sentence
// saying where it came from. Nothing the bidder says about itself counts beyond
// its price and promised time: no self-reported confidence.
// - price: how much of the budget the bid leaves (a bid at the budget scores 0);
// - trust: the package's trust score (lib/packages/trust.ts); NEUTRAL for a new
//   package or a hand bid without one;
// - fit:   half the share of the work's capability tags the package declares, half
//   the share of the acceptance output schema's required properties the package's
//   output schema also has with a compatible type (NEUTRAL without a package: a
//   hand delivery is checked like any other);
// - time:  how much of the time left before the delivery deadline the promise
//   leaves; a promise past the deadline scores 0.

export const PRICE_WEIGHT = 0.35;
export const TRUST_WEIGHT = 0.25;
export const FIT_WEIGHT = 0.25;
export const TIME_WEIGHT = 0.15;
/** The part a bid gets where there is nothing to judge it on. */
export const NEUTRAL = 0.5;

export type RankableWork = { budgetMicros: bigint; capabilities: string[]; acceptance: unknown; deliveryDeadline: Date };
export type RankableBid = {
  id: string;
  priceMicros: bigint;
  promisedMinutes: number;
  createdAt: Date;
  /** The bidding package's declared capabilities and output schema; null for a hand bid without a package. */
  package: { capabilities: string[]; outputSchema: unknown } | null;
  /** The package's trust score in 0..1; null when it is new or there is no package. */
  trustScore: number | null;
};
export type BidRank = { score: number; price: number; trust: number; fit: number; time: number; explanation: string };
export type RankedBid<B extends RankableBid = RankableBid> = B & { rank: BidRank };

const clamp = (x: number) => Math.min(1, Math.max(0, x));
const round = (x: number) => Math.round(x * 1000) / 1000;

/** The bids with their rank, best first (ties: cheaper, then earlier). Pure: `at` is when the time left is measured from. */
export function rankBids<B extends RankableBid>(work: RankableWork, bids: B[], at: Date = new Date()): RankedBid<B>[] {
  return bids
    .map((bid) => ({ ...bid, rank: rankBid(work, bid, at) }))
    .sort((a, b) => b.rank.score - a.rank.score || Number(a.priceMicros - b.priceMicros) || a.createdAt.getTime() - b.createdAt.getTime() || a.id.localeCompare(b.id));
}

export function rankBid(work: RankableWork, bid: RankableBid, at: Date): BidRank {
  const budget = Number(work.budgetMicros);
  const price = clamp(1 - Number(bid.priceMicros) / budget);
  const trust = bid.trustScore === null ? NEUTRAL : clamp(bid.trustScore);
  const caps = capabilityFit(work.capabilities, bid.package?.capabilities);
  const schema = schemaFit(work.acceptance, bid.package?.outputSchema);
  const fit = bid.package ? (caps.part + schema.part) / 2 : NEUTRAL;
  const minutesLeft = (work.deliveryDeadline.getTime() - at.getTime()) / 60_000;
  const time = bid.promisedMinutes > minutesLeft ? 0 : clamp(1 - bid.promisedMinutes / minutesLeft);
  const score = PRICE_WEIGHT * price + TRUST_WEIGHT * trust + FIT_WEIGHT * fit + TIME_WEIGHT * time;
  const explanation = [
    `price ${formatUsd(Number(bid.priceMicros))} of a ${formatUsd(budget)} budget`,
    bid.trustScore === null ? "trust neutral (new package or no package)" : `trust ${round(trust)}`,
    bid.package ? `${caps.text}; ${schema.text}` : "fit neutral (a hand bid, delivered by upload)",
    time === 0 ? `promises ${bid.promisedMinutes} min, past the delivery deadline` : `promises ${bid.promisedMinutes} of ${Math.floor(minutesLeft)} min left`,
  ].join("; ");
  return { score: round(score), price: round(price), trust: round(trust), fit: round(fit), time: round(time), explanation };
}

function capabilityFit(wanted: string[], declared: string[] | undefined): { part: number; text: string } {
  if (wanted.length === 0) return { part: 1, text: "no capability asked for" };
  const have = new Set((declared ?? []).map((c) => c.toLowerCase()));
  const matched = wanted.filter((c) => have.has(c.toLowerCase())).length;
  return { part: matched / wanted.length, text: `${matched}/${wanted.length} capabilities` };
}

type SchemaObject = { type?: unknown; properties?: Record<string, unknown>; required?: unknown };
const asSchema = (v: unknown): SchemaObject => (v && typeof v === "object" && !Array.isArray(v) ? (v as SchemaObject) : {});
const typesOf = (v: unknown): string[] | null => {
  const t = asSchema(v).type;
  if (typeof t === "string") return [t];
  return Array.isArray(t) && t.every((x) => typeof x === "string") ? (t as string[]) : null;
};

/**
 * Whether an output the package promises (its output schema) can have every property the
 * acceptance schema requires: present in the package's properties, and of a type the
 * acceptance allows (an integer is a number; a side that names no type is compatible).
 */
export function schemaFit(acceptance: unknown, packageOutput: unknown): { part: number; text: string } {
  const wanted = asSchema((acceptance as { outputSchema?: unknown } | null)?.outputSchema);
  const required = Array.isArray(wanted.required) ? wanted.required.filter((r): r is string => typeof r === "string") : [];
  if (required.length === 0) return { part: 1, text: "no required output field" };
  const offered = asSchema(packageOutput).properties ?? {};
  const ok = required.filter((name) => Object.hasOwn(offered, name) && compatibleTypes(wanted.properties?.[name], offered[name])).length;
  return { part: ok / required.length, text: `output schema has ${ok}/${required.length} required fields` };
}

function compatibleTypes(wanted: unknown, offered: unknown): boolean {
  const allowed = typesOf(wanted);
  const given = typesOf(offered);
  if (!allowed || !given) return true;
  return given.every((t) => allowed.includes(t) || (t === "integer" && allowed.includes("number")));
}
