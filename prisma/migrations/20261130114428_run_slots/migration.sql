-- CreateTable
CREATE TABLE "RunSlot" (
    "workspaceId" TEXT NOT NULL,
    "live" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "RunSlot_pkey" PRIMARY KEY ("workspaceId")
);

-- AddForeignKey
ALTER TABLE "RunSlot" ADD CONSTRAINT "RunSlot_workspaceId_fkey" FOREIGN KEY ("workspaceId") REFERENCES "Workspace"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- A slot can never be given back twice (a negative count would let a workspace
-- run past its limit): the finishing update fails instead.
ALTER TABLE "RunSlot" ADD CONSTRAINT "RunSlot_live_nonnegative" CHECK ("live" >= 0);

-- The runs live when this migration runs hold their slots.
INSERT INTO "RunSlot" ("workspaceId", "live")
SELECT "workspaceId", count(*)::int FROM "Run"
WHERE "depth" = 0 AND "status" IN ('QUEUED', 'RUNNING')
GROUP BY "workspaceId";
