-- CreateTable
CREATE TABLE "PackageRunTally" (
    "runId" TEXT NOT NULL,
    "packageId" TEXT NOT NULL,
    "succeeded" BOOLEAN NOT NULL,

    CONSTRAINT "PackageRunTally_pkey" PRIMARY KEY ("runId")
);
