import { randomUUID } from "node:crypto";
import { inject } from "vitest";
import { dropDatabase, ensureDatabase } from "@/lib/db/embedded";
import { applyMigrations } from "@/lib/db/schema-engine";
import { env } from "@/lib/env";
import { getDb } from "@/lib/db/client";
import { runNotifications } from "@/lib/runs/run-notifications";
import { createTestSeed } from "../setup/seed-test-database";

/**
 * Points this test file's process at a database of its own on the test server
 * (migrated, the tiers seeded), for a file that calls jobs sweeping every row:
 * a sweep with a far-future `at` (closeBidWindows, sweepContracts) would close
 * or refund the works other files are testing at the same moment, and theirs
 * would touch this file's. Call it at the top of the file, before anything
 * reads the environment or opens the database; `drop` it in afterAll.
 */
export async function ownDatabase(prefix: string): Promise<{ url: string; drop: () => Promise<void> }> {
  const admin = inject("adminDatabaseUrl");
  const name = `${prefix}_${randomUUID().slice(0, 8)}`;
  await ensureDatabase(admin, name);
  const url = admin.replace(/\/postgres$/, `/${name}`);
  await applyMigrations(url);
  await createTestSeed(url);
  process.env.DATABASE_URL = url;
  if (env().DATABASE_URL !== url) throw new Error("ownDatabase ran after the environment was read: call it before anything opens the database.");
  return {
    url,
    drop: async () => {
      await runNotifications().close(); // the shared caches' listening connection
      await getDb().$disconnect();
      await dropDatabase(admin, name);
    },
  };
}
