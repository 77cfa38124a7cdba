-- CreateEnum
CREATE TYPE "LedgerAccountKind" AS ENUM ('WORKSPACE_CREDITS', 'PLATFORM_REVENUE', 'PROVIDER_COST', 'STRIPE_CLEARING', 'PROMOTIONS');

-- CreateEnum
CREATE TYPE "TransferKind" AS ENUM ('POSTED', 'PENDING', 'POST_PENDING', 'VOID_PENDING', 'EXPIRE_PENDING');

-- CreateTable
CREATE TABLE "LedgerAccount" (
    "id" TEXT NOT NULL,
    "kind" "LedgerAccountKind" NOT NULL,
    "workspaceId" TEXT,
    "code" TEXT NOT NULL,
    "postedMicros" BIGINT NOT NULL DEFAULT 0,
    "pendingDebitsMicros" BIGINT NOT NULL DEFAULT 0,
    "pendingCreditsMicros" BIGINT NOT NULL DEFAULT 0,
    "mayGoNegative" BOOLEAN NOT NULL DEFAULT false,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "LedgerAccount_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Transfer" (
    "id" TEXT NOT NULL,
    "kind" "TransferKind" NOT NULL,
    "debitAccountId" TEXT NOT NULL,
    "creditAccountId" TEXT NOT NULL,
    "amountMicros" BIGINT NOT NULL,
    "pendingId" TEXT,
    "reversesId" TEXT,
    "idempotencyKey" TEXT,
    "workspaceId" TEXT,
    "runId" TEXT,
    "reason" TEXT NOT NULL,
    "externalRef" TEXT,
    "expiresAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Transfer_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "LedgerAccount_workspaceId_key" ON "LedgerAccount"("workspaceId");

-- CreateIndex
CREATE UNIQUE INDEX "LedgerAccount_code_key" ON "LedgerAccount"("code");

-- CreateIndex
CREATE UNIQUE INDEX "Transfer_pendingId_key" ON "Transfer"("pendingId");

-- CreateIndex
CREATE UNIQUE INDEX "Transfer_reversesId_key" ON "Transfer"("reversesId");

-- CreateIndex
CREATE UNIQUE INDEX "Transfer_idempotencyKey_key" ON "Transfer"("idempotencyKey");

-- CreateIndex
CREATE UNIQUE INDEX "Transfer_externalRef_key" ON "Transfer"("externalRef");

-- CreateIndex
CREATE INDEX "Transfer_debitAccountId_createdAt_idx" ON "Transfer"("debitAccountId", "createdAt");

-- CreateIndex
CREATE INDEX "Transfer_creditAccountId_createdAt_idx" ON "Transfer"("creditAccountId", "createdAt");

-- CreateIndex
CREATE INDEX "Transfer_workspaceId_createdAt_idx" ON "Transfer"("workspaceId", "createdAt");

-- CreateIndex
CREATE INDEX "Transfer_runId_idx" ON "Transfer"("runId");

-- CreateIndex
CREATE INDEX "Transfer_kind_expiresAt_idx" ON "Transfer"("kind", "expiresAt");

-- AddForeignKey
ALTER TABLE "LedgerAccount" ADD CONSTRAINT "LedgerAccount_workspaceId_fkey" FOREIGN KEY ("workspaceId") REFERENCES "Workspace"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Transfer" ADD CONSTRAINT "Transfer_debitAccountId_fkey" FOREIGN KEY ("debitAccountId") REFERENCES "LedgerAccount"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Transfer" ADD CONSTRAINT "Transfer_creditAccountId_fkey" FOREIGN KEY ("creditAccountId") REFERENCES "LedgerAccount"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Transfer" ADD CONSTRAINT "Transfer_pendingId_fkey" FOREIGN KEY ("pendingId") REFERENCES "Transfer"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Transfer" ADD CONSTRAINT "Transfer_reversesId_fkey" FOREIGN KEY ("reversesId") REFERENCES "Transfer"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- Hand-written (SPEC §4). The mechanisms are in lib/ledger; these are the backstops.
ALTER TABLE "Transfer" ADD CONSTRAINT "Transfer_amount_check" CHECK ("amountMicros" > 0 OR ("amountMicros" = 0 AND "kind" IN ('POST_PENDING', 'VOID_PENDING', 'EXPIRE_PENDING')));
ALTER TABLE "Transfer" ADD CONSTRAINT "Transfer_accounts_differ" CHECK ("debitAccountId" <> "creditAccountId");
ALTER TABLE "Transfer" ADD CONSTRAINT "Transfer_resolution_check" CHECK (("pendingId" IS NOT NULL) = ("kind" IN ('POST_PENDING', 'VOID_PENDING', 'EXPIRE_PENDING')));
ALTER TABLE "LedgerAccount" ADD CONSTRAINT "LedgerAccount_not_overdrawn" CHECK ("mayGoNegative" OR "postedMicros" - "pendingDebitsMicros" >= 0);
ALTER TABLE "LedgerAccount" ADD CONSTRAINT "LedgerAccount_pending_nonnegative" CHECK ("pendingDebitsMicros" >= 0 AND "pendingCreditsMicros" >= 0);

-- Transfers are immutable: corrections are reversing transfers.
CREATE FUNCTION agora_transfer_immutable() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION 'Transfer rows are immutable; write a reversing transfer instead' USING ERRCODE = 'restrict_violation';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER agora_transfer_immutable BEFORE UPDATE OR DELETE ON "Transfer" FOR EACH ROW EXECUTE FUNCTION agora_transfer_immutable();

-- The platform's own accounts.
INSERT INTO "LedgerAccount" ("id", "kind", "code", "mayGoNegative") VALUES
  ('acct_platform_revenue', 'PLATFORM_REVENUE', 'platform_revenue', true),
  ('acct_provider_cost', 'PROVIDER_COST', 'provider_cost', true),
  ('acct_stripe_clearing', 'STRIPE_CLEARING', 'stripe_clearing', true),
  ('acct_promotions', 'PROMOTIONS', 'promotions', true);
