import type { TestProject } from "vitest/node";
import { applyMigrations } from "@/lib/db/schema-engine";
import { startTestDatabase } from "../helpers/test-database";
import { createTestSeed } from "./seed-test-database";
import { startSmtpCatcher } from "../fakes/smtp-catcher";

// One real PostgreSQL for the whole run (the embedded one) and a fresh database
// per run, migrated with the committed migrations and given the tier rows. One SMTP
// catcher too: every test's mail goes through real SMTP to it, and tests read what it
// caught over HTTP (tests/helpers/mailbox.ts) — addresses are unique per test.

declare module "vitest" {
  export interface ProvidedContext {
    databaseUrl: string;
    adminDatabaseUrl: string;
    smtpUrl: string;
    mailboxUrl: string;
  }
}

export default async function setup(project: TestProject) {
  const db = await startTestDatabase("agora_test");
  await applyMigrations(db.url);
  await createTestSeed(db.url);
  project.provide("databaseUrl", db.url);
  project.provide("adminDatabaseUrl", db.adminUrl);
  const mail = await startSmtpCatcher();
  project.provide("smtpUrl", mail.url);
  project.provide("mailboxUrl", await mail.serveHttp());
  return async () => {
    await mail.close();
    await db.stop();
  };
}
