import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { PrismaClient } from "@/lib/generated/prisma/client";
import { env, seedsDemo } from "@/lib/env";
import { applyMigrations } from "./schema-engine";
import { seed } from "./seed";

// Any fixed number, the same in every process: instances starting together take turns.
const PREPARE_LOCK = 7_201_148_530;

/**
 * Applies pending migrations, then runs the idempotent seed — one process at a
 * time (a session advisory lock), so two instances starting against one
 * database do not race each other's migrations or seed rows.
 */
export async function prepareDatabase(url: string): Promise<{ applied: string[] }> {
  const lock = new pg.Client({ connectionString: url });
  await lock.connect();
  try {
    await lock.query("SELECT pg_advisory_lock($1)", [PREPARE_LOCK]);
    const applied = await applyMigrations(url);
    const e = env();
    const client = new PrismaClient({ adapter: new PrismaPg({ connectionString: url, max: 2 }) });
    try {
      await seed(client, {
        demo: seedsDemo(e),
        demoPassword: e.AGORA_DEMO_PASSWORD,
        adminPassword: e.AGORA_ADMIN_PASSWORD,
        stripePrices: { basic: e.STRIPE_PRICE_BASIC, pro: e.STRIPE_PRICE_PRO },
        bootstrapAdmin: e.AGORA_ADMIN_EMAIL ? { email: e.AGORA_ADMIN_EMAIL, password: e.AGORA_ADMIN_PASSWORD } : undefined,
      });
    } finally {
      await client.$disconnect();
    }
    return { applied };
  } finally {
    await lock.end(); // ends the session, which releases the lock
  }
}
