-- CreateEnum
CREATE TYPE "WorkStatus" AS ENUM ('OPEN', 'AWARDED', 'DELIVERED', 'REDELIVERY', 'ACCEPTED', 'SETTLED', 'REFUNDED', 'DISPUTED', 'RESOLVED', 'CANCELED');

-- CreateEnum
CREATE TYPE "WorkVisibility" AS ENUM ('PUBLIC', 'INVITED');

-- CreateEnum
CREATE TYPE "BidStatus" AS ENUM ('ACTIVE', 'WITHDRAWN', 'WON', 'LOST');

-- CreateEnum
CREATE TYPE "DeliveryVerdict" AS ENUM ('PENDING', 'PASSED', 'FAILED');

-- CreateEnum
CREATE TYPE "DisputeOutcome" AS ENUM ('RELEASE', 'PARTIAL_REFUND', 'FULL_REFUND');

-- AlterTable
ALTER TABLE "AgentPackage" ADD COLUMN     "bidPolicy" JSONB;

-- AlterTable
ALTER TABLE "Transfer" ADD COLUMN     "contractId" TEXT;

-- CreateTable
CREATE TABLE "Work" (
    "id" TEXT NOT NULL,
    "workspaceId" TEXT NOT NULL,
    "createdByUserId" TEXT,
    "title" TEXT NOT NULL,
    "description" TEXT NOT NULL,
    "input" JSONB NOT NULL,
    "documentIds" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "acceptance" JSONB NOT NULL,
    "budgetMicros" BIGINT NOT NULL,
    "capabilities" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "visibility" "WorkVisibility" NOT NULL DEFAULT 'PUBLIC',
    "invitedProviderIds" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "autoAward" BOOLEAN NOT NULL DEFAULT false,
    "bidDeadline" TIMESTAMP(3) NOT NULL,
    "deliveryDeadline" TIMESTAMP(3) NOT NULL,
    "status" "WorkStatus" NOT NULL DEFAULT 'OPEN',
    "holdId" TEXT,
    "idempotencyKey" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Work_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Bid" (
    "id" TEXT NOT NULL,
    "workId" TEXT NOT NULL,
    "providerId" TEXT NOT NULL,
    "packageId" TEXT,
    "packageSlug" TEXT NOT NULL DEFAULT '',
    "bidderUserId" TEXT,
    "auto" BOOLEAN NOT NULL DEFAULT false,
    "priceMicros" BIGINT NOT NULL,
    "promisedMinutes" INTEGER NOT NULL,
    "note" TEXT NOT NULL DEFAULT '',
    "status" "BidStatus" NOT NULL DEFAULT 'ACTIVE',
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "withdrawnAt" TIMESTAMP(3),

    CONSTRAINT "Bid_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Contract" (
    "id" TEXT NOT NULL,
    "workId" TEXT NOT NULL,
    "bidId" TEXT NOT NULL,
    "providerId" TEXT NOT NULL,
    "packageId" TEXT,
    "priceMicros" BIGINT NOT NULL,
    "feeBps" INTEGER NOT NULL,
    "deliveryDeadline" TIMESTAMP(3) NOT NULL,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "passedAt" TIMESTAMP(3),
    "autoAcceptAt" TIMESTAMP(3),
    "disputeReason" TEXT,
    "disputedAt" TIMESTAMP(3),
    "disputedByUserId" TEXT,
    "outcome" "DisputeOutcome",
    "refundMicros" BIGINT,
    "resolutionReason" TEXT,
    "resolvedByUserId" TEXT,
    "settledAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Contract_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Delivery" (
    "id" TEXT NOT NULL,
    "contractId" TEXT NOT NULL,
    "attempt" INTEGER NOT NULL,
    "runId" TEXT,
    "output" JSONB,
    "verdict" "DeliveryVerdict" NOT NULL DEFAULT 'PENDING',
    "checks" JSONB NOT NULL DEFAULT '[]',
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "checkedAt" TIMESTAMP(3),

    CONSTRAINT "Delivery_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "WorkEvent" (
    "id" TEXT NOT NULL,
    "workId" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "fromStatus" "WorkStatus",
    "toStatus" "WorkStatus",
    "actorUserId" TEXT,
    "data" JSONB NOT NULL DEFAULT '{}',
    "idempotencyKey" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "WorkEvent_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "Work_holdId_key" ON "Work"("holdId");

-- CreateIndex
CREATE UNIQUE INDEX "Work_idempotencyKey_key" ON "Work"("idempotencyKey");

-- CreateIndex
CREATE INDEX "Work_status_bidDeadline_idx" ON "Work"("status", "bidDeadline");

-- CreateIndex
CREATE INDEX "Work_workspaceId_createdAt_idx" ON "Work"("workspaceId", "createdAt");

-- CreateIndex
CREATE INDEX "Bid_providerId_createdAt_idx" ON "Bid"("providerId", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "Bid_workId_providerId_packageSlug_key" ON "Bid"("workId", "providerId", "packageSlug");

-- CreateIndex
CREATE UNIQUE INDEX "Contract_workId_key" ON "Contract"("workId");

-- CreateIndex
CREATE UNIQUE INDEX "Contract_bidId_key" ON "Contract"("bidId");

-- CreateIndex
CREATE INDEX "Contract_providerId_createdAt_idx" ON "Contract"("providerId", "createdAt");

-- CreateIndex
CREATE INDEX "Contract_deliveryDeadline_idx" ON "Contract"("deliveryDeadline");

-- CreateIndex
CREATE INDEX "Contract_autoAcceptAt_idx" ON "Contract"("autoAcceptAt");

-- CreateIndex
CREATE UNIQUE INDEX "Delivery_runId_key" ON "Delivery"("runId");

-- CreateIndex
CREATE UNIQUE INDEX "Delivery_contractId_attempt_key" ON "Delivery"("contractId", "attempt");

-- CreateIndex
CREATE UNIQUE INDEX "WorkEvent_idempotencyKey_key" ON "WorkEvent"("idempotencyKey");

-- CreateIndex
CREATE INDEX "WorkEvent_workId_createdAt_idx" ON "WorkEvent"("workId", "createdAt");

-- CreateIndex
CREATE INDEX "Transfer_contractId_idx" ON "Transfer"("contractId");

-- AddForeignKey
ALTER TABLE "Work" ADD CONSTRAINT "Work_workspaceId_fkey" FOREIGN KEY ("workspaceId") REFERENCES "Workspace"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Bid" ADD CONSTRAINT "Bid_workId_fkey" FOREIGN KEY ("workId") REFERENCES "Work"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Bid" ADD CONSTRAINT "Bid_providerId_fkey" FOREIGN KEY ("providerId") REFERENCES "Provider"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Bid" ADD CONSTRAINT "Bid_packageId_fkey" FOREIGN KEY ("packageId") REFERENCES "AgentPackage"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Contract" ADD CONSTRAINT "Contract_workId_fkey" FOREIGN KEY ("workId") REFERENCES "Work"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Contract" ADD CONSTRAINT "Contract_providerId_fkey" FOREIGN KEY ("providerId") REFERENCES "Provider"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Delivery" ADD CONSTRAINT "Delivery_contractId_fkey" FOREIGN KEY ("contractId") REFERENCES "Contract"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "WorkEvent" ADD CONSTRAINT "WorkEvent_workId_fkey" FOREIGN KEY ("workId") REFERENCES "Work"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Hand-written: money and time are positive; a hand resolution's refund is within the contract's price.
ALTER TABLE "Work" ADD CONSTRAINT "Work_budget_positive" CHECK ("budgetMicros" > 0);
ALTER TABLE "Work" ADD CONSTRAINT "Work_deadlines_ordered" CHECK ("bidDeadline" <= "deliveryDeadline");
ALTER TABLE "Bid" ADD CONSTRAINT "Bid_price_positive" CHECK ("priceMicros" > 0);
ALTER TABLE "Bid" ADD CONSTRAINT "Bid_promised_positive" CHECK ("promisedMinutes" > 0);
ALTER TABLE "Contract" ADD CONSTRAINT "Contract_price_positive" CHECK ("priceMicros" > 0);
ALTER TABLE "Contract" ADD CONSTRAINT "Contract_refund_within_price" CHECK ("refundMicros" IS NULL OR ("refundMicros" >= 0 AND "refundMicros" <= "priceMicros"));
ALTER TABLE "Contract" ADD CONSTRAINT "Contract_attempts_at_most_two" CHECK ("attempts" BETWEEN 0 AND 2);
