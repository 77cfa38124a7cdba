import { Prisma } from "@/lib/generated/prisma/client";
import { formatUsd } from "@/lib/money/format";
import { PRICE_WEIGHT, TEXT_WEIGHT, TRUST_WEIGHT } from "./rank-weights";

// "Describe your task" ranking (issue 20 item 6): every result's score mixes how
// well its text matches with how much buyers can trust it and what it costs,
// each part in 0..1, weighted by ./rank-weights.ts (README "Search ranking and
// recommendations"). Computed in SQL on the catalog entry (`c`: trust and median
// price are copied there from PackageStats), so sorting and cursors use the same
// number the explanation shows.

/** The trust part of a package too new to have a score: the middle, so it neither leads nor sinks. */
export const NEUTRAL_TRUST = 0.5;
/** The price scale, in micro-USD: at or under $0.001 a run scores 1, at or over $10 scores 0, log-linear between. */
export const PRICE_SCALE = { cheapMicros: 1_000, dearMicros: 10_000_000 } as const;

const logCheap = Math.log10(PRICE_SCALE.cheapMicros);
const logSpan = Math.log10(PRICE_SCALE.dearMicros) - logCheap;

const trustPart = Prisma.sql`CASE WHEN c."trustNew" OR c."trustScore" IS NULL THEN ${NEUTRAL_TRUST}::float8 ELSE least(1, greatest(0, c."trustScore")) END`;
const pricePart = Prisma.sql`1 - least(1, greatest(0, (log(greatest(coalesce(c."medianPriceMicros", c."baseFeeMicros"), 1)::float8) - ${logCheap}::float8) / ${logSpan}::float8))`;

/**
 * The weighted trust and price parts, as CatalogEntry."staticScore" stores them (a generated column: migration
 * 20261201063100_i20_static_score, checked against this by a test).
 */
export const staticScoreSql = Prisma.sql`${TRUST_WEIGHT}::float8 * (${trustPart}) + ${PRICE_WEIGHT}::float8 * (${pricePart})`;

/** The score of entry `c` whose text part (0..1) is `text`, in float8 (a cursor round-trips a float8 through JSON exactly). */
export const rankScore = (text: Prisma.Sql) => Prisma.sql`${TEXT_WEIGHT}::float8 * (${text}) + c."staticScore"`;

/** The columns of entry `c` the explanation is made of: its parts, score and the stats they come from. */
export const rankColumns = (text: Prisma.Sql) => Prisma.sql`(${text})::float8 AS "textScore", ${trustPart} AS "trustPart", ${pricePart} AS "pricePart", ${rankScore(text)} AS score,
  c."trustScore", c."trustNew", c."workspaces90", c."medianPriceMicros", c."baseFeeMicros"`;

export type RankJson = { score: number; text: number; trust: number; price: number; explanation: string };
export type MatchedFields = { inName: boolean; inSummary: boolean; inDescription: boolean; inCapabilities: boolean; inCategory: boolean };

/** A scored row as the catalog's query returns it: what the explanation is made of. */
export type RankedRow = MatchedFields & {
  score: number;
  textScore: number;
  trustPart: number;
  pricePart: number;
  trustScore: number | null;
  trustNew: boolean;
  workspaces90: number;
  medianPriceMicros: bigint | null;
  baseFeeMicros: bigint;
};

const fieldNames: [keyof MatchedFields, string][] = [
  ["inName", "name"],
  ["inSummary", "summary"],
  ["inDescription", "description"],
  ["inCapabilities", "capabilities"],
  ["inCategory", "category"],
];

const listed = (items: string[]) => (items.length < 2 ? (items[0] ?? "") : `${items.slice(0, -1).join(", ")} and ${items.at(-1)}`);
const percent = (x: number) => `${Math.round(x * 100)} %`;

/** The parts and one sentence a person reads: "Matches 'csv' in name and capabilities; trust 97 % over 41 workspaces; median price $0.02". */
export function explainRank(r: RankedRow, search: { words: string[]; exact: boolean }): RankJson {
  const quoted = `'${search.words.join(" ")}'`;
  const fields = fieldNames.filter(([k]) => r[k]).map(([, name]) => name);
  const text = !search.words.length
    ? "No search words: ordered by trust and price"
    : !search.exact
      ? `No exact match; words similar to ${quoted} in name, summary or capabilities`
      : `Matches ${quoted}${fields.length ? ` in ${listed(fields)}` : ""}`;
  const workspaces = `${r.workspaces90} workspace${r.workspaces90 === 1 ? "" : "s"}`;
  const trust = r.trustNew || r.trustScore === null ? "new, so trust counts as neutral" : `trust ${percent(r.trustScore)} over ${workspaces}`;
  const price = r.medianPriceMicros === null ? `base fee ${formatUsd(Number(r.baseFeeMicros))} (no runs priced yet)` : `median price ${formatUsd(Number(r.medianPriceMicros))}`;
  const part = (x: number) => Math.round(x * 1e4) / 1e4;
  return { score: part(r.score), text: part(r.textScore), trust: part(r.trustPart), price: part(r.pricePart), explanation: `${text}; ${trust}; ${price}` };
}
