-- AlterTable
ALTER TABLE "Workspace" ADD COLUMN     "packagePins" JSONB NOT NULL DEFAULT '{}';

-- AlterTable
ALTER TABLE "ApiKey" ADD COLUMN     "packagePins" JSONB NOT NULL DEFAULT '{}';

-- AlterTable
ALTER TABLE "AgentPackage" ADD COLUMN     "accepts" TEXT[] DEFAULT ARRAY[]::TEXT[],
ADD COLUMN     "isLatest" BOOLEAN NOT NULL DEFAULT false;

-- CreateTable
CREATE TABLE "PackageReview" (
    "id" TEXT NOT NULL,
    "slug" TEXT NOT NULL,
    "workspaceId" TEXT NOT NULL,
    "authorUserId" TEXT,
    "packageId" TEXT NOT NULL,
    "version" TEXT NOT NULL,
    "rating" INTEGER NOT NULL,
    "body" TEXT NOT NULL DEFAULT '',
    "reply" TEXT,
    "replyUserId" TEXT,
    "repliedAt" TIMESTAMP(3),
    "hiddenAt" TIMESTAMP(3),
    "hiddenReason" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "PackageReview_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ReviewReport" (
    "id" TEXT NOT NULL,
    "reviewId" TEXT NOT NULL,
    "reporterUserId" TEXT,
    "reporterWorkspaceId" TEXT NOT NULL,
    "reason" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "resolvedAt" TIMESTAMP(3),
    "resolvedByUserId" TEXT,
    "resolution" TEXT,

    CONSTRAINT "ReviewReport_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "PackageUsageDaily" (
    "packageId" TEXT NOT NULL,
    "workspaceId" TEXT NOT NULL,
    "day" DATE NOT NULL,
    "runs" INTEGER NOT NULL DEFAULT 0,
    "succeeded" INTEGER NOT NULL DEFAULT 0,
    "failedProvider" INTEGER NOT NULL DEFAULT 0,
    "failedConsumer" INTEGER NOT NULL DEFAULT 0,
    "failedPlatform" INTEGER NOT NULL DEFAULT 0,
    "canceled" INTEGER NOT NULL DEFAULT 0,
    "priceMicros" BIGINT NOT NULL DEFAULT 0,
    "durationMs" BIGINT NOT NULL DEFAULT 0,

    CONSTRAINT "PackageUsageDaily_pkey" PRIMARY KEY ("packageId","workspaceId","day")
);

-- CreateTable
CREATE TABLE "PackageHistogramDaily" (
    "packageId" TEXT NOT NULL,
    "day" DATE NOT NULL,
    "durationBuckets" INTEGER[],
    "priceBuckets" INTEGER[],

    CONSTRAINT "PackageHistogramDaily_pkey" PRIMARY KEY ("packageId","day")
);

-- CreateTable
CREATE TABLE "PackageStats" (
    "slug" TEXT NOT NULL,
    "runsTotal" INTEGER NOT NULL DEFAULT 0,
    "succeededTotal" INTEGER NOT NULL DEFAULT 0,
    "runs90" INTEGER NOT NULL DEFAULT 0,
    "succeeded90" INTEGER NOT NULL DEFAULT 0,
    "workspaces90" INTEGER NOT NULL DEFAULT 0,
    "medianPriceMicros" BIGINT,
    "p50DurationMs" INTEGER,
    "trustScore" DOUBLE PRECISION,
    "trustLow" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "trustHigh" DOUBLE PRECISION NOT NULL DEFAULT 1,
    "trustNew" BOOLEAN NOT NULL DEFAULT true,
    "rating" DOUBLE PRECISION,
    "ratingCount" INTEGER NOT NULL DEFAULT 0,
    "risingScore" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "computedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "PackageStats_pkey" PRIMARY KEY ("slug")
);

-- CreateTable
CREATE TABLE "ProviderStats" (
    "providerId" TEXT NOT NULL,
    "trustScore" DOUBLE PRECISION,
    "trustLow" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "trustHigh" DOUBLE PRECISION NOT NULL DEFAULT 1,
    "trustNew" BOOLEAN NOT NULL DEFAULT true,
    "breakdown" JSONB NOT NULL DEFAULT '{}',
    "computedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ProviderStats_pkey" PRIMARY KEY ("providerId")
);

-- CreateTable
CREATE TABLE "UpgradePreview" (
    "id" TEXT NOT NULL,
    "workspaceId" TEXT NOT NULL,
    "createdByUserId" TEXT,
    "slug" TEXT NOT NULL,
    "fromVersion" TEXT NOT NULL,
    "toVersion" TEXT NOT NULL,
    "quoteMicros" BIGINT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "UpgradePreview_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "UpgradePreviewItem" (
    "previewId" TEXT NOT NULL,
    "position" INTEGER NOT NULL,
    "baseRunId" TEXT NOT NULL,
    "runId" TEXT,
    "error" JSONB,

    CONSTRAINT "UpgradePreviewItem_pkey" PRIMARY KEY ("previewId","position")
);

-- CreateIndex
CREATE INDEX "PackageReview_slug_updatedAt_idx" ON "PackageReview"("slug", "updatedAt" DESC);

-- CreateIndex
CREATE UNIQUE INDEX "PackageReview_slug_workspaceId_key" ON "PackageReview"("slug", "workspaceId");

-- CreateIndex
CREATE INDEX "ReviewReport_resolvedAt_createdAt_idx" ON "ReviewReport"("resolvedAt", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "ReviewReport_reviewId_reporterWorkspaceId_key" ON "ReviewReport"("reviewId", "reporterWorkspaceId");

-- CreateIndex
CREATE INDEX "PackageUsageDaily_workspaceId_day_idx" ON "PackageUsageDaily"("workspaceId", "day");

-- CreateIndex
CREATE INDEX "PackageUsageDaily_day_idx" ON "PackageUsageDaily"("day");

-- CreateIndex
CREATE INDEX "UpgradePreview_workspaceId_createdAt_idx" ON "UpgradePreview"("workspaceId", "createdAt" DESC);

-- AddForeignKey
ALTER TABLE "PackageReview" ADD CONSTRAINT "PackageReview_workspaceId_fkey" FOREIGN KEY ("workspaceId") REFERENCES "Workspace"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ReviewReport" ADD CONSTRAINT "ReviewReport_reviewId_fkey" FOREIGN KEY ("reviewId") REFERENCES "PackageReview"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "UpgradePreview" ADD CONSTRAINT "UpgradePreview_workspaceId_fkey" FOREIGN KEY ("workspaceId") REFERENCES "Workspace"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "UpgradePreviewItem" ADD CONSTRAINT "UpgradePreviewItem_previewId_fkey" FOREIGN KEY ("previewId") REFERENCES "UpgradePreview"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Hand-written (issue 20) ------------------------------------------------------------------

-- The newest PUBLISHED version of each slug carries "isLatest" (semver order, as
-- lib/packages/semver.ts `semverDesc`), kept by this trigger on every insert, delete and
-- change of a row's status, version or slug, whoever makes it (publishing, review, yank,
-- admin suspension, the built-ins' sync). One slug's changes queue on an advisory lock, so
-- two versions published at once leave exactly one latest.
CREATE FUNCTION "agora_mark_latest_version"(s text) RETURNS void LANGUAGE plpgsql AS $$
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
END $$;

CREATE FUNCTION "agora_latest_version_trigger"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP <> 'INSERT' THEN PERFORM "agora_mark_latest_version"(OLD.slug); END IF;
  IF TG_OP <> 'DELETE' AND (TG_OP = 'INSERT' OR NEW.slug IS DISTINCT FROM OLD.slug) THEN PERFORM "agora_mark_latest_version"(NEW.slug); END IF;
  RETURN NULL;
END $$;

-- UPDATE OF names the columns that can change which row is latest; the trigger's own
-- UPDATE sets only "isLatest", so it does not fire again.
CREATE TRIGGER "AgentPackage_latest_version"
AFTER INSERT OR DELETE OR UPDATE OF status, version, slug ON "AgentPackage"
FOR EACH ROW EXECUTE FUNCTION "agora_latest_version_trigger"();

UPDATE "AgentPackage" p SET "isLatest" = true
FROM (SELECT DISTINCT ON (slug) id FROM "AgentPackage" WHERE status = 'PUBLISHED'
      ORDER BY slug, string_to_array(split_part(version, '-', 1), '.')::numeric[] DESC, (strpos(version, '-') = 0) DESC, version DESC) l
WHERE p.id = l.id;

-- The catalog reads only the latest rows: these indexes hold only them, so a search's
-- cost follows its matches, not the number of versions.
CREATE INDEX "AgentPackage_latest_slug_idx" ON "AgentPackage" (slug) WHERE "isLatest";
CREATE INDEX "AgentPackage_latest_search_idx" ON "AgentPackage" USING gin ("searchVector") WHERE "isLatest";
CREATE INDEX "AgentPackage_latest_category_idx" ON "AgentPackage" (category) WHERE "isLatest";

-- Element-wise sum of two histograms (PackageHistogramDaily): a missing bucket counts 0.
CREATE FUNCTION "agora_add_counts"(a int[], b int[]) RETURNS int[] LANGUAGE sql IMMUTABLE AS $$
  SELECT coalesce(array_agg(coalesce(a[i], 0) + coalesce(b[i], 0) ORDER BY i), '{}')
  FROM generate_series(1, greatest(coalesce(array_length(a, 1), 0), coalesce(array_length(b, 1), 0))) i
$$;

ALTER TABLE "PackageReview" ADD CONSTRAINT "PackageReview_rating_check" CHECK ("rating" BETWEEN 1 AND 5);
