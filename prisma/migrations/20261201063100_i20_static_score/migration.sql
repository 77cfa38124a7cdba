-- The search score's parts other than text (lib/agents/catalog-rank.ts), weighted
-- (lib/agents/rank-weights.ts: trust 0.3, price 0.1), generated from the entry's own
-- columns: trust (0.5 while "new"), and price on a log scale from $0.001 (1) to $10 (0).
-- A test checks it against the TypeScript constants. Generated, so no writer can forget it;
-- COPY (backups) leaves generated columns out.
ALTER TABLE "CatalogEntry" ADD COLUMN "staticScore" DOUBLE PRECISION GENERATED ALWAYS AS (
  0.3::float8 * (CASE WHEN "trustNew" OR "trustScore" IS NULL THEN 0.5::float8 ELSE least(1, greatest(0, "trustScore")) END)
  + 0.1::float8 * (1 - least(1, greatest(0, (log(greatest(coalesce("medianPriceMicros", "baseFeeMicros"), 1)::float8) - 3::float8) / 4::float8)))
) STORED;

-- CreateIndex
CREATE INDEX "CatalogEntry_staticScore_slug_idx" ON "CatalogEntry"("staticScore" DESC, "slug" DESC);
