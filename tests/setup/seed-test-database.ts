import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "@/lib/generated/prisma/client";
import { seed } from "@/lib/db/seed";

/** Tiers only: each test creates the users and workspaces it needs. */
export async function createTestSeed(url: string) {
  const client = new PrismaClient({ adapter: new PrismaPg({ connectionString: url, max: 1 }) });
  try {
    await seed(client, { demo: false, demoPassword: "unused-demo", adminPassword: "unused-admin" });
  } finally {
    await client.$disconnect();
  }
}
