import type { TestProject } from "vitest/node";
import { applyMigrations } from "@/lib/db/schema-engine";
import { startTestDatabase } from "../helpers/test-database";
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
  const db = await startTestDatabase("agora_test");
  await applyMigrations(db.url);
  await createTestSeed(db.url);
  project.provide("databaseUrl", db.url);
  project.provide("adminDatabaseUrl", db.adminUrl);
  return db.stop;
}
