// The catalog's ranking weights (lib/agents/catalog-rank.ts), in a module of their own so the
// catalog card can show the formula without bundling server code. They add up to 1.

/** Weight of text relevance: ts_rank_cd over name, summary, description and capabilities, divided by the best match's. */
export const TEXT_WEIGHT = 0.6;
/** Weight of trust: PackageStats.trustScore (0..1). */
export const TRUST_WEIGHT = 0.3;
/** Weight of price: the median price on a log scale, cheaper higher. */
export const PRICE_WEIGHT = 0.1;
