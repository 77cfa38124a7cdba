// npm run dev  → tsx scripts/start.ts dev      (next dev)
// npm start    → tsx scripts/start.ts start    (the standalone server; builds first when there is no build)
//
// Starts the embedded PostgreSQL unless DATABASE_URL is set, applies migrations,
// seeds, then runs Next.js and prints where to go and how to sign in.
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync, appendFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { keepEmbeddedServersThroughSigterm } from "../lib/db/embedded";
import { localDatabase, localDataDir } from "../lib/db/local-database";
import { prepareDatabase } from "../lib/db/prepare-database";
import { ADMIN_EMAIL, DEMO_EMAIL } from "../lib/db/seed";
import { env, seedsDemo } from "../lib/env";
import { buildStandalone, hasStandaloneBuild, startStandalone } from "./standalone";

const mode = process.argv[2] === "start" ? "start" : "dev";
const port = Number(process.env.PORT ?? 3000);
const host = process.env.HOSTNAME ?? (mode === "dev" ? "localhost" : "0.0.0.0");
const startedAt = performance.now();
const dataDir = localDataDir(process.env);
mkdirSync(dataDir, { recursive: true });

function persistentSecret(name = "nextauth-secret"): string {
  const file = path.join(dataDir, name);
  if (!existsSync(file)) writeFileSync(file, randomBytes(32).toString("base64url"), { mode: 0o600 });
  return readFileSync(file, "utf8").trim();
}

const pgLog = path.join(dataDir, "postgres.log");
const db = await localDatabase(process.env, (line) => appendFileSync(pgLog, line));
process.env.DATABASE_URL = db.url;
(process.env as Record<string, string>).NODE_ENV = mode === "dev" ? "development" : "production";
process.env.NEXTAUTH_SECRET ??= persistentSecret();
// /api/metrics and /api/health want a bearer token in production: one is generated here when none is set.
if (mode === "start") process.env.METRICS_TOKEN ??= persistentSecret("metrics-token");
// Providers' signing secrets are encrypted under this key (lib/remote/secrets.ts).
if (mode === "start") process.env.AGORA_SECRETS_KEY ??= persistentSecret("secrets-key");
process.env.NEXTAUTH_URL ??= `http://localhost:${port}`;
process.env.NEXT_TELEMETRY_DISABLED ??= "1"; // nothing leaves the machine
// The production server shuts down gracefully itself (instrumentation.ts): Next must not exit on the signal first.
if (mode === "start") process.env.NEXT_MANUAL_SIG_HANDLE ??= "true";

let shuttingDown = false;
async function shutdown(code: number) {
  if (shuttingDown) return;
  shuttingDown = true;
  await db.server?.stop().catch(() => undefined);
  process.exit(code);
}

try {
  const { applied } = await prepareDatabase(db.url);
  if (applied.length) console.log(`Applied migrations: ${applied.join(", ")}`);
} catch (err) {
  console.error(`Could not prepare the database: ${(err as Error).message}`);
  await shutdown(1);
}

let next: ChildProcess;
if (mode === "start") {
  if (!hasStandaloneBuild()) {
    console.log("No production build yet; running `npm run build` first…");
    const status = buildStandalone();
    if (status !== 0) await shutdown(status);
  }
  next = startStandalone({ port, host, env: process.env });
} else {
  const nextBin = createRequire(import.meta.url).resolve("next/dist/bin/next");
  next = spawn(process.execPath, [nextBin, "dev", "-p", String(port), "-H", host], { stdio: "inherit", env: process.env });
}
next.on("exit", (code) => void shutdown(code ?? 0));
// The database stays up until Next has shut down gracefully (shutdown() above stops it).
keepEmbeddedServersThroughSigterm();
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    next.kill(signal);
  });
}

// The banner waits for the first successful response, so the time it prints is real.
const url = `http://localhost:${port}`;
for (let i = 0; i < 600 && !shuttingDown; i++) {
  const ok = await fetch(`http://127.0.0.1:${port}/`).then((r) => r.ok, () => false);
  if (ok) {
    const seconds = ((performance.now() - startedAt) / 1000).toFixed(1);
    const e = env();
    const lines = [
      `Agora is ready at ${url}  (first 200 after ${seconds}s)`,
      `Database: ${db.server ? db.note : "DATABASE_URL"}`,
      ...(seedsDemo(e)
        ? [`Demo member: ${DEMO_EMAIL} / ${e.AGORA_DEMO_PASSWORD}`, `Admin:       ${ADMIN_EMAIL} / ${e.AGORA_ADMIN_PASSWORD}`]
        : []),
    ];
    const width = Math.max(...lines.map((l) => l.length));
    console.log(["", "┌" + "─".repeat(width + 2) + "┐", ...lines.map((l) => `│ ${l.padEnd(width)} │`), "└" + "─".repeat(width + 2) + "┘", ""].join("\n"));
    break;
  }
  await new Promise((r) => setTimeout(r, 250));
}
