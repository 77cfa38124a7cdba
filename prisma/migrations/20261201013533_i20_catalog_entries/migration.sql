-- DropIndex
DROP INDEX "AgentPackage_searchVector_idx";

-- CreateTable
CREATE TABLE "CatalogEntry" (
    "slug" TEXT NOT NULL,
    "packageId" TEXT NOT NULL,
    "providerId" TEXT,
    "ownerWorkspaceId" TEXT,
    "name" TEXT NOT NULL,
    "summary" TEXT NOT NULL,
    "category" TEXT NOT NULL,
    "capabilities" TEXT[],
    "accepts" TEXT[],
    "baseFeeMicros" BIGINT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL,
    "firstPublishedAt" TIMESTAMP(3),
    "searchVector" tsvector,
    "runsTotal" INTEGER NOT NULL DEFAULT 0,
    "workspaces90" INTEGER NOT NULL DEFAULT 0,
    "trustScore" DOUBLE PRECISION,
    "trustNew" BOOLEAN NOT NULL DEFAULT true,
    "medianPriceMicros" BIGINT,
    "risingScore" DOUBLE PRECISION NOT NULL DEFAULT 0,

    CONSTRAINT "CatalogEntry_pkey" PRIMARY KEY ("slug")
);

-- CreateTable
CREATE TABLE "WorkspacePackageUse" (
    "workspaceId" TEXT NOT NULL,
    "slug" TEXT NOT NULL,
    "runs" INTEGER NOT NULL,

    CONSTRAINT "WorkspacePackageUse_pkey" PRIMARY KEY ("workspaceId","slug")
);

-- CreateIndex
CREATE UNIQUE INDEX "CatalogEntry_packageId_key" ON "CatalogEntry"("packageId");

-- CreateIndex
CREATE INDEX "CatalogEntry_category_workspaces90_idx" ON "CatalogEntry"("category", "workspaces90" DESC);

-- CreateIndex
CREATE INDEX "CatalogEntry_providerId_idx" ON "CatalogEntry"("providerId");

-- CreateIndex
CREATE INDEX "CatalogEntry_ownerWorkspaceId_idx" ON "CatalogEntry"("ownerWorkspaceId");

-- CreateIndex
CREATE INDEX "CatalogEntry_firstPublishedAt_idx" ON "CatalogEntry"("firstPublishedAt");

-- CreateIndex
CREATE INDEX "CatalogEntry_workspaces90_slug_idx" ON "CatalogEntry"("workspaces90" DESC, "slug");

-- CreateIndex
CREATE INDEX "CatalogEntry_runsTotal_slug_idx" ON "CatalogEntry"("runsTotal" DESC, "slug" DESC);

-- CreateIndex
CREATE INDEX "CatalogEntry_createdAt_slug_idx" ON "CatalogEntry"("createdAt" DESC, "slug" DESC);

-- CreateIndex
CREATE INDEX "CatalogEntry_baseFeeMicros_slug_idx" ON "CatalogEntry"("baseFeeMicros", "slug");

-- CreateIndex
CREATE INDEX "CatalogEntry_searchVector_idx" ON "CatalogEntry" USING GIN ("searchVector");

-- CreateIndex
CREATE INDEX "WorkspacePackageUse_slug_workspaceId_idx" ON "WorkspacePackageUse"("slug", "workspaceId");

-- Hand-written: the catalog entry of a slug follows its latest version in the same transaction.
-- Called by agora_mark_latest_version (whenever which version is latest may change) and by a
-- trigger on the latest row's listed columns (the sync rewriting its search document, an admin's
-- price edit). Stats columns come from PackageStats when the entry is made; the packages.stats job
-- keeps them after that.
CREATE FUNCTION "agora_sync_catalog_entry"(s text) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM "CatalogEntry" c WHERE c.slug = s AND NOT EXISTS (SELECT 1 FROM "AgentPackage" p WHERE p.slug = s AND p."isLatest");
  INSERT INTO "CatalogEntry" AS c ("slug", "packageId", "providerId", "ownerWorkspaceId", "name", "summary", "category", "capabilities", "accepts", "baseFeeMicros", "createdAt",
                                   "firstPublishedAt", "searchVector", "runsTotal", "workspaces90", "trustScore", "trustNew", "medianPriceMicros", "risingScore")
  SELECT p.slug, p.id, p."providerId", p."ownerWorkspaceId", p.name, p.summary, p.category, p.capabilities, p.accepts, p."baseFeeMicros", p."createdAt",
         (SELECT min(o."createdAt") FROM "AgentPackage" o WHERE o.slug = s AND o.status IN ('PUBLISHED', 'YANKED')), p."searchVector",
         coalesce(st."runsTotal", 0), coalesce(st."workspaces90", 0), st."trustScore", coalesce(st."trustNew", true), st."medianPriceMicros", coalesce(st."risingScore", 0)
  FROM "AgentPackage" p LEFT JOIN "PackageStats" st ON st.slug = p.slug
  WHERE p.slug = s AND p."isLatest"
  ON CONFLICT ("slug") DO UPDATE SET
    "packageId" = excluded."packageId", "providerId" = excluded."providerId", "ownerWorkspaceId" = excluded."ownerWorkspaceId", "name" = excluded."name", "summary" = excluded."summary",
    "category" = excluded."category", "capabilities" = excluded."capabilities", "accepts" = excluded."accepts", "baseFeeMicros" = excluded."baseFeeMicros",
    "createdAt" = excluded."createdAt", "firstPublishedAt" = excluded."firstPublishedAt", "searchVector" = excluded."searchVector";
END $$;

CREATE OR REPLACE FUNCTION "agora_mark_latest_version"(s text) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  latest text;
BEGIN
  PERFORM pg_advisory_xact_lock(hashtext('agora-latest-version:' || s));
  SELECT id INTO latest FROM "AgentPackage"
  WHERE slug = s AND status = 'PUBLISHED'
  ORDER BY string_to_array(split_part(version, '-', 1), '.')::numeric[] DESC, (strpos(version, '-') = 0) DESC, version DESC
  LIMIT 1;
  UPDATE "AgentPackage" SET "isLatest" = (id = latest) IS TRUE
  WHERE slug = s AND "isLatest" IS DISTINCT FROM ((id = latest) IS TRUE);
  PERFORM "agora_sync_catalog_entry"(s);
END $$;

CREATE FUNCTION "agora_catalog_entry_trigger"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM "agora_sync_catalog_entry"(NEW.slug);
  RETURN NULL;
END $$;

-- The latest row's listed columns (status, version and slug are the latest-version trigger's).
CREATE TRIGGER "AgentPackage_catalog_entry"
AFTER UPDATE OF "name", "summary", "category", "capabilities", "accepts", "baseFeeMicros", "providerId", "ownerWorkspaceId", "searchVector" ON "AgentPackage"
FOR EACH ROW WHEN (NEW."isLatest") EXECUTE FUNCTION "agora_catalog_entry_trigger"();

INSERT INTO "CatalogEntry" ("slug", "packageId", "providerId", "ownerWorkspaceId", "name", "summary", "category", "capabilities", "accepts", "baseFeeMicros", "createdAt",
                            "firstPublishedAt", "searchVector", "runsTotal", "workspaces90", "trustScore", "trustNew", "medianPriceMicros", "risingScore")
SELECT p.slug, p.id, p."providerId", p."ownerWorkspaceId", p.name, p.summary, p.category, p.capabilities, p.accepts, p."baseFeeMicros", p."createdAt",
       (SELECT min(o."createdAt") FROM "AgentPackage" o WHERE o.slug = p.slug AND o.status IN ('PUBLISHED', 'YANKED')), p."searchVector",
       coalesce(st."runsTotal", 0), coalesce(st."workspaces90", 0), st."trustScore", coalesce(st."trustNew", true), st."medianPriceMicros", coalesce(st."risingScore", 0)
FROM "AgentPackage" p LEFT JOIN "PackageStats" st ON st.slug = p.slug
WHERE p."isLatest";

-- The catalog reads the entries, which have their own indexes, no longer the versions' latest rows.
DROP INDEX IF EXISTS "AgentPackage_latest_search_idx";
DROP INDEX IF EXISTS "AgentPackage_latest_category_idx";

-- The entries' copies of PackageStats' popularity, trust and median price, in the statement that
-- writes them (the packages.stats job's upsert, a review's rating), whoever writes them.
CREATE FUNCTION "agora_catalog_stats_trigger"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE "CatalogEntry" c SET "runsTotal" = s."runsTotal", "workspaces90" = s."workspaces90", "trustScore" = s."trustScore", "trustNew" = s."trustNew",
                              "medianPriceMicros" = s."medianPriceMicros", "risingScore" = s."risingScore"
  FROM changed s
  WHERE c.slug = s.slug AND (c."runsTotal", c."workspaces90", c."trustScore", c."trustNew", c."medianPriceMicros", c."risingScore")
    IS DISTINCT FROM (s."runsTotal", s."workspaces90", s."trustScore", s."trustNew", s."medianPriceMicros", s."risingScore");
  RETURN NULL;
END $$;
CREATE TRIGGER "PackageStats_catalog_insert" AFTER INSERT ON "PackageStats" REFERENCING NEW TABLE AS changed
FOR EACH STATEMENT EXECUTE FUNCTION "agora_catalog_stats_trigger"();
CREATE TRIGGER "PackageStats_catalog_update" AFTER UPDATE ON "PackageStats" REFERENCING NEW TABLE AS changed
FOR EACH STATEMENT EXECUTE FUNCTION "agora_catalog_stats_trigger"();
