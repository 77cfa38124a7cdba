-- AlterTable
ALTER TABLE "ApiKey" ADD COLUMN     "monthlySpendLimitMicros" BIGINT;

-- CreateTable
CREATE TABLE "SpendCounter" (
    "workspaceId" TEXT NOT NULL,
    "scope" TEXT NOT NULL,
    "month" DATE NOT NULL,
    "spentMicros" BIGINT NOT NULL DEFAULT 0,
    "heldMicros" BIGINT NOT NULL DEFAULT 0,

    CONSTRAINT "SpendCounter_pkey" PRIMARY KEY ("workspaceId","scope","month")
);

-- CreateTable
CREATE TABLE "UsageDaily" (
    "workspaceId" TEXT NOT NULL,
    "day" DATE NOT NULL,
    "agentSlug" TEXT NOT NULL,
    "model" TEXT NOT NULL,
    "apiKeyId" TEXT NOT NULL DEFAULT '',
    "runs" INTEGER NOT NULL DEFAULT 0,
    "succeeded" INTEGER NOT NULL DEFAULT 0,
    "failed" INTEGER NOT NULL DEFAULT 0,
    "canceled" INTEGER NOT NULL DEFAULT 0,
    "inputTokens" BIGINT NOT NULL DEFAULT 0,
    "outputTokens" BIGINT NOT NULL DEFAULT 0,
    "cacheReadTokens" BIGINT NOT NULL DEFAULT 0,
    "cacheWriteTokens" BIGINT NOT NULL DEFAULT 0,
    "costMicros" BIGINT NOT NULL DEFAULT 0,
    "priceMicros" BIGINT NOT NULL DEFAULT 0,

    CONSTRAINT "UsageDaily_pkey" PRIMARY KEY ("workspaceId","day","agentSlug","model","apiKeyId")
);

-- AddForeignKey
ALTER TABLE "SpendCounter" ADD CONSTRAINT "SpendCounter_workspaceId_fkey" FOREIGN KEY ("workspaceId") REFERENCES "Workspace"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "UsageDaily" ADD CONSTRAINT "UsageDaily_workspaceId_fkey" FOREIGN KEY ("workspaceId") REFERENCES "Workspace"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Hand-written: counters never go below zero (a release without its reservation would be a bug).
ALTER TABLE "SpendCounter" ADD CONSTRAINT "SpendCounter_nonnegative" CHECK ("spentMicros" >= 0 AND "heldMicros" >= 0);
ALTER TABLE "ApiKey" ADD CONSTRAINT "ApiKey_monthlySpendLimit_nonnegative" CHECK ("monthlySpendLimitMicros" IS NULL OR "monthlySpendLimitMicros" >= 0);
ALTER TABLE "Workspace" ADD CONSTRAINT "Workspace_monthlySpendCap_nonnegative" CHECK ("monthlySpendCapMicros" IS NULL OR "monthlySpendCapMicros" >= 0);
