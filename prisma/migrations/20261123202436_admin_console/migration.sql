-- AlterTable
ALTER TABLE "AgentPackage" ADD COLUMN     "adminEditedAt" TIMESTAMP(3),
ADD COLUMN     "suspendedReason" TEXT;

-- AlterTable
ALTER TABLE "Transfer" ADD COLUMN     "actorUserId" TEXT,
ADD COLUMN     "memo" TEXT;

-- CreateIndex
CREATE INDEX "Run_finishedAt_idx" ON "Run"("finishedAt");

-- CreateIndex
CREATE INDEX "UsageDaily_day_idx" ON "UsageDaily"("day");
