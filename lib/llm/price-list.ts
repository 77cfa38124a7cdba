import { sharedCaches, type CacheGroup } from "@/lib/cache/shared-cache";
import type { DbTx } from "@/lib/db/client";
import { modelCostMicros, type TokenCounts } from "./model-prices";

// ModelPrice rows, cached per process as one list (lib/cache/shared-cache.ts):
// whoever changes a price calls forgetPriceList after the commit.

type Row = Awaited<ReturnType<typeof load>>[number];
const load = (db: DbTx) => db.modelPrice.findMany();
const priceCache = (caches: CacheGroup) => caches.cache<Map<string, Row>>("price-list", { ttlMs: 60_000, maxEntries: 1 });

/** The model's price row (cached), or undefined when it has none (`caches`: another process's, in tests). */
export async function modelPrice(db: DbTx, model: string, caches: CacheGroup = sharedCaches()): Promise<Row | undefined> {
  const prices = await priceCache(caches).get("all", async () => new Map((await load(db)).map((r) => [r.model, r])));
  return prices.get(model);
}

/** Drops the cached price list in every process (call after the change committed). */
export function forgetPriceList(): Promise<void> {
  return priceCache(sharedCaches()).invalidate({ keys: ["all"] });
}

/** Model cost in micro-USD for the tokens; a model without a price row costs 0 and is logged by the caller. */
export async function modelCost(db: DbTx, model: string, tokens: TokenCounts): Promise<{ costMicros: bigint; priced: boolean }> {
  const price = await modelPrice(db, model);
  return price ? { costMicros: modelCostMicros(price, tokens), priced: true } : { costMicros: 0n, priced: false };
}
