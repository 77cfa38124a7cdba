import type { DbTx } from "@/lib/db/client";
import { modelCostMicros, type TokenCounts } from "./model-prices";

// ModelPrice rows, cached per process for a short time: a price admins change
// applies to runs finishing after at most PRICE_TTL_MS.

const PRICE_TTL_MS = 30_000;
type Row = Awaited<ReturnType<typeof load>>[number];
let cache: { at: number; rows: Map<string, Row> } | undefined;

const load = (db: DbTx) => db.modelPrice.findMany();

/** The model's price row (cached), or undefined when it has none. */
export async function modelPrice(db: DbTx, model: string): Promise<Row | undefined> {
  if (!cache || Date.now() - cache.at > PRICE_TTL_MS) cache = { at: Date.now(), rows: new Map((await load(db)).map((r) => [r.model, r])) };
  return cache.rows.get(model);
}

/** Model cost in micro-USD for the tokens; a model without a price row costs 0 and is logged by the caller. */
export async function modelCost(db: DbTx, model: string, tokens: TokenCounts): Promise<{ costMicros: bigint; priced: boolean }> {
  const price = await modelPrice(db, model);
  return price ? { costMicros: modelCostMicros(price, tokens), priced: true } : { costMicros: 0n, priced: false };
}
