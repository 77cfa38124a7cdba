-- CreateEnum
CREATE TYPE "PackageKind" AS ENUM ('BUILTIN', 'HOSTED', 'REMOTE');

-- CreateEnum
CREATE TYPE "FailureCause" AS ENUM ('consumer_input', 'provider', 'platform', 'canceled');

-- CreateEnum
CREATE TYPE "PayoutStatus" AS ENUM ('PENDING', 'SENT', 'FAILED', 'REVERSED', 'PARTIALLY_REVERSED');

-- AlterEnum
-- This migration adds more than one value to an enum.
-- With PostgreSQL versions 11 and earlier, this is not possible
-- in a single migration. This can be worked around by creating
-- multiple migrations, each migration adding only one value to
-- the enum.


ALTER TYPE "PackageStatus" ADD VALUE 'VALIDATED';
ALTER TYPE "PackageStatus" ADD VALUE 'SUBMITTED';
ALTER TYPE "PackageStatus" ADD VALUE 'REJECTED';
ALTER TYPE "PackageStatus" ADD VALUE 'YANKED';

-- AlterEnum
-- This migration adds more than one value to an enum.
-- With PostgreSQL versions 11 and earlier, this is not possible
-- in a single migration. This can be worked around by creating
-- multiple migrations, each migration adding only one value to
-- the enum.


ALTER TYPE "LedgerAccountKind" ADD VALUE 'PLATFORM_FEES';
ALTER TYPE "LedgerAccountKind" ADD VALUE 'PROVIDER_EARNINGS';

-- AlterTable
ALTER TABLE "AgentPackage" ADD COLUMN     "agentCard" JSONB,
ADD COLUMN     "kind" "PackageKind" NOT NULL DEFAULT 'BUILTIN',
ADD COLUMN     "manifest" JSON,
ADD COLUMN     "publishedAt" TIMESTAMP(3),
ADD COLUMN     "reviewNote" TEXT,
ADD COLUMN     "reviewedAt" TIMESTAMP(3),
ADD COLUMN     "reviewedByUserId" TEXT,
ADD COLUMN     "submittedAt" TIMESTAMP(3),
ADD COLUMN     "validatedAt" TIMESTAMP(3),
ADD COLUMN     "yankReason" TEXT,
ADD COLUMN     "yankedAt" TIMESTAMP(3);

-- AlterTable
ALTER TABLE "Provider" ADD COLUMN     "connectCurrentlyDue" TEXT[] DEFAULT ARRAY[]::TEXT[],
ADD COLUMN     "connectDetailsSubmitted" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "connectDisabledReason" TEXT,
ADD COLUMN     "connectPayoutsEnabled" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "connectSyncedAt" TIMESTAMP(3),
ADD COLUMN     "connectTransfersActive" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "lastBankPayoutFailure" JSONB,
ADD COLUMN     "platformFeeBps" INTEGER,
ADD COLUMN     "stripeAccountId" TEXT;

-- AlterTable
ALTER TABLE "Run" ADD COLUMN     "billableEventsMicros" BIGINT NOT NULL DEFAULT 0,
ADD COLUMN     "failureCause" "FailureCause",
ADD COLUMN     "inputHash" TEXT,
ADD COLUMN     "passThroughMicros" BIGINT NOT NULL DEFAULT 0,
ADD COLUMN     "platformFeeBps" INTEGER,
ADD COLUMN     "platformFeeMicros" BIGINT NOT NULL DEFAULT 0,
ADD COLUMN     "providerShareMicros" BIGINT NOT NULL DEFAULT 0,
ADD COLUMN     "remoteTaskId" TEXT;

-- AlterTable
ALTER TABLE "LedgerAccount" ADD COLUMN     "providerId" TEXT;

-- AlterTable
ALTER TABLE "Transfer" ADD COLUMN     "maturesAt" TIMESTAMP(3),
ADD COLUMN     "providerId" TEXT;

-- CreateTable
CREATE TABLE "ProviderSecret" (
    "id" TEXT NOT NULL,
    "providerId" TEXT NOT NULL,
    "ciphertext" TEXT NOT NULL,
    "last4" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expiresAt" TIMESTAMP(3),
    "revokedAt" TIMESTAMP(3),

    CONSTRAINT "ProviderSecret_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "PackagePriceChange" (
    "id" TEXT NOT NULL,
    "providerId" TEXT NOT NULL,
    "slug" TEXT NOT NULL,
    "baseFeeMicros" BIGINT NOT NULL,
    "billableEvents" JSONB,
    "effectiveAt" TIMESTAMP(3) NOT NULL,
    "appliedAt" TIMESTAMP(3),
    "canceledAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "PackagePriceChange_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Payout" (
    "id" TEXT NOT NULL,
    "providerId" TEXT NOT NULL,
    "period" TEXT NOT NULL,
    "amountMicros" BIGINT NOT NULL,
    "stripeAccountId" TEXT NOT NULL,
    "holdId" TEXT NOT NULL,
    "status" "PayoutStatus" NOT NULL DEFAULT 'PENDING',
    "stripeTransferId" TEXT,
    "failureCode" TEXT,
    "failureMessage" TEXT,
    "reversedMicros" BIGINT NOT NULL DEFAULT 0,
    "reversalReason" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "sentAt" TIMESTAMP(3),

    CONSTRAINT "Payout_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "PayoutItem" (
    "payoutId" TEXT NOT NULL,
    "shareId" TEXT NOT NULL,
    "runId" TEXT NOT NULL,
    "amountMicros" BIGINT NOT NULL,

    CONSTRAINT "PayoutItem_pkey" PRIMARY KEY ("payoutId","shareId")
);

-- CreateTable
CREATE TABLE "ShareClawback" (
    "runId" TEXT NOT NULL,
    "providerId" TEXT NOT NULL,
    "amountMicros" BIGINT NOT NULL,
    "recoveredAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ShareClawback_pkey" PRIMARY KEY ("runId")
);

-- CreateIndex
CREATE INDEX "ProviderSecret_providerId_createdAt_idx" ON "ProviderSecret"("providerId", "createdAt");

-- CreateIndex
CREATE INDEX "PackagePriceChange_slug_effectiveAt_idx" ON "PackagePriceChange"("slug", "effectiveAt");

-- CreateIndex
CREATE INDEX "PackagePriceChange_effectiveAt_idx" ON "PackagePriceChange"("effectiveAt");

-- CreateIndex
CREATE UNIQUE INDEX "Payout_holdId_key" ON "Payout"("holdId");

-- CreateIndex
CREATE UNIQUE INDEX "Payout_stripeTransferId_key" ON "Payout"("stripeTransferId");

-- CreateIndex
CREATE UNIQUE INDEX "Payout_providerId_period_key" ON "Payout"("providerId", "period");

-- CreateIndex
CREATE INDEX "PayoutItem_runId_idx" ON "PayoutItem"("runId");

-- CreateIndex
CREATE INDEX "ShareClawback_providerId_recoveredAt_idx" ON "ShareClawback"("providerId", "recoveredAt");

-- CreateIndex
CREATE INDEX "AgentPackage_status_submittedAt_idx" ON "AgentPackage"("status", "submittedAt");

-- CreateIndex
CREATE UNIQUE INDEX "Provider_stripeAccountId_key" ON "Provider"("stripeAccountId");

-- CreateIndex
CREATE UNIQUE INDEX "LedgerAccount_providerId_key" ON "LedgerAccount"("providerId");

-- CreateIndex
CREATE INDEX "Transfer_providerId_createdAt_idx" ON "Transfer"("providerId", "createdAt");

-- AddForeignKey
ALTER TABLE "ProviderSecret" ADD CONSTRAINT "ProviderSecret_providerId_fkey" FOREIGN KEY ("providerId") REFERENCES "Provider"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PackagePriceChange" ADD CONSTRAINT "PackagePriceChange_providerId_fkey" FOREIGN KEY ("providerId") REFERENCES "Provider"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Payout" ADD CONSTRAINT "Payout_providerId_fkey" FOREIGN KEY ("providerId") REFERENCES "Provider"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PayoutItem" ADD CONSTRAINT "PayoutItem_payoutId_fkey" FOREIGN KEY ("payoutId") REFERENCES "Payout"("id") ON DELETE CASCADE ON UPDATE CASCADE;
