import path from "node:path";
import type { TestProject } from "vitest/node";
import { dropDatabase, ensureDatabase, freePort, resolveDataDir, startEmbeddedPostgres } from "@/lib/db/embedded";
import { applyMigrations } from "@/lib/db/schema-engine";
import { createTestSeed } from "./seed-test-database";

// One real PostgreSQL for the whole run (the embedded one) and a fresh database
// per run, migrated with the committed migrations and given the tier rows.

declare module "vitest" {
  export interface ProvidedContext {
    databaseUrl: string;
    adminDatabaseUrl: string;
  }
}

export default async function setup(project: TestProject) {
  const { dataDir } = resolveDataDir(path.join(process.cwd(), ".data", "test-postgres"));
  const server = await startEmbeddedPostgres({ dataDir, port: await freePort() });
  const database = `agora_test_${Date.now()}_${process.pid}`;
  const adminUrl = server.urlFor("postgres");
  await ensureDatabase(adminUrl, database);
  const url = server.urlFor(database);
  await applyMigrations(url);
  await createTestSeed(url);
  project.provide("databaseUrl", url);
  project.provide("adminDatabaseUrl", adminUrl);
  return async () => {
    await dropDatabase(adminUrl, database);
    await server.stop();
  };
}
