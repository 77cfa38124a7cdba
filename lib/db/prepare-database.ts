import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "@/lib/generated/prisma/client";
import { env, seedsDemo } from "@/lib/env";
import { applyMigrations } from "./schema-engine";
import { seed } from "./seed";

/** Applies pending migrations, then runs the idempotent seed. */
export async function prepareDatabase(url: string): Promise<{ applied: string[] }> {
  const applied = await applyMigrations(url);
  const e = env();
  const client = new PrismaClient({ adapter: new PrismaPg({ connectionString: url, max: 2 }) });
  try {
    await seed(client, { demo: seedsDemo(e), demoPassword: e.AGORA_DEMO_PASSWORD, adminPassword: e.AGORA_ADMIN_PASSWORD, stripePrices: { basic: e.STRIPE_PRICE_BASIC, pro: e.STRIPE_PRICE_PRO } });
  } finally {
    await client.$disconnect();
  }
  return { applied };
}
