-- AlterEnum
ALTER TYPE "RunEventType" ADD VALUE 'resumed';

-- AlterTable
ALTER TABLE "Run" ADD COLUMN     "attempt" INTEGER NOT NULL DEFAULT 0;
