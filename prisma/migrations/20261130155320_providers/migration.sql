-- AlterTable
ALTER TABLE "AgentPackage" ADD COLUMN     "providerId" TEXT;

-- CreateTable
CREATE TABLE "Provider" (
    "id" TEXT NOT NULL,
    "workspaceId" TEXT,
    "slug" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "description" TEXT NOT NULL DEFAULT '',
    "supportUrl" TEXT,
    "supportEmail" TEXT,
    "logo" BYTEA,
    "logoType" TEXT,
    "logoUpdatedAt" TIMESTAMP(3),
    "verified" BOOLEAN NOT NULL DEFAULT false,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Provider_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "Provider_workspaceId_key" ON "Provider"("workspaceId");

-- CreateIndex
CREATE UNIQUE INDEX "Provider_slug_key" ON "Provider"("slug");

-- CreateIndex
CREATE INDEX "AgentPackage_providerId_idx" ON "AgentPackage"("providerId");

-- AddForeignKey
ALTER TABLE "AgentPackage" ADD CONSTRAINT "AgentPackage_providerId_fkey" FOREIGN KEY ("providerId") REFERENCES "Provider"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Provider" ADD CONSTRAINT "Provider_workspaceId_fkey" FOREIGN KEY ("workspaceId") REFERENCES "Workspace"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- Hand-written: the facts the API checks, also held by the database.
ALTER TABLE "Provider" ADD CONSTRAINT "Provider_slug_format" CHECK ("slug" ~ '^[a-z0-9]+(-[a-z0-9]+)*$' AND length("slug") BETWEEN 3 AND 40);
ALTER TABLE "Provider" ADD CONSTRAINT "Provider_logo_size" CHECK ("logo" IS NULL OR octet_length("logo") <= 262144);
ALTER TABLE "Provider" ADD CONSTRAINT "Provider_logo_type" CHECK (("logo" IS NULL) = ("logoType" IS NULL) AND ("logoType" IS NULL OR "logoType" IN ('image/png', 'image/jpeg', 'image/webp')));
