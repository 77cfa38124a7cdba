-- CreateIndex
CREATE INDEX "Transfer_maturesAt_idx" ON "Transfer"("maturesAt");

-- CreateTable
CREATE TABLE "TestClock" (
    "id" INTEGER NOT NULL DEFAULT 1,
    "offsetMs" BIGINT NOT NULL DEFAULT 0,

    CONSTRAINT "TestClock_pkey" PRIMARY KEY ("id")
);

-- The platform's fee on third-party runs (a new enum value cannot be used in the migration that adds it).
INSERT INTO "LedgerAccount" ("id", "kind", "code", "mayGoNegative") VALUES ('acct_platform_fees', 'PLATFORM_FEES', 'platform_fees', true);

