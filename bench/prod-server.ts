// A production build of the app for benchmarks: a fresh database in the embedded
// PostgreSQL, `npm run build` (BENCH_SKIP_BUILD=1 reuses it), the standalone server
// on 127.0.0.1 with the given environment, and how to stop it all. Servers one after
// another can share a database the caller made (opts.database); one build serves them all.
import { spawnSync } from "node:child_process";
import { randomBytes, randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { freePort } from "../lib/db/embedded";
import { prepareDatabase } from "../lib/db/prepare-database";
import { buildStandalone, startStandalone } from "../scripts/standalone";
import { startTestDatabase } from "../tests/helpers/test-database";

export type BenchDatabase = Awaited<ReturnType<typeof startTestDatabase>>;
let built = Boolean(process.env.BENCH_SKIP_BUILD);

export async function startProductionServer(name: string, extraEnv: Record<string, string>, opts: { profile?: boolean; database?: BenchDatabase } = {}) {
  const database = opts.database ?? (await startTestDatabase(name));
  const port = await freePort();
  const env = {
    ...process.env,
    DATABASE_URL: database.url,
    NODE_ENV: "production",
    NEXTAUTH_URL: `http://127.0.0.1:${port}`,
    NEXTAUTH_SECRET: randomBytes(32).toString("base64url"),
    METRICS_TOKEN: randomBytes(24).toString("base64url"),
    AGORA_SECRETS_KEY: randomBytes(32).toString("base64"),
    NEXT_TELEMETRY_DISABLED: "1",
    AGORA_LOG_LEVEL: "warn",
    AGORA_DB_POOL_MAX: process.env.AGORA_DB_POOL_MAX ?? "20",
    // The benchmarks follow every run of one API key over SSE, up to 50 at once: past the default stream caps.
    AGORA_MAX_STREAMS_PER_KEY: "1000",
    AGORA_MAX_STREAMS_PER_WORKSPACE: "1000",
    ...extraEnv,
  } as NodeJS.ProcessEnv;
  Object.assign(process.env, env);
  await prepareDatabase(database.url);
  if (!built && buildStandalone(env) !== 0) process.exit(1);
  built = true;
  const server = startStandalone({ port, host: "127.0.0.1", env, nodeArgs: opts.profile ? ["--cpu-prof", "--cpu-prof-dir=/tmp/prof"] : [], stdio: ["ignore", "ignore", "inherit"] });
  const base = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 300 && !(await fetch(`${base}/api/health/live`).then((r) => r.ok, () => false)); i++) await new Promise((r) => setTimeout(r, 100));
  return {
    base,
    database,
    env,
    pid: server.pid!,
    /** SIGTERM; resolves to the server's exit code (null: ended by a signal). The database stops too unless the caller gave it. */
    async stop(): Promise<number | null> {
      server.kill("SIGTERM");
      await new Promise((r) => (server.exitCode !== null || server.signalCode !== null ? r(null) : server.once("exit", r)));
      if (!opts.database) await database.stop();
      return server.exitCode;
    },
  };
}

/** The RSS of a process and its children, in MB. */
export function rssMb(pid: number): number {
  const pids = [pid, ...spawnSync("pgrep", ["-P", String(pid)], { encoding: "utf8" }).stdout.split("\n").filter(Boolean).map(Number)];
  let kb = 0;
  for (const p of pids) {
    try {
      kb += Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${p}/status`, "utf8"))?.[1] ?? 0);
    } catch {
      // exited
    }
  }
  return Math.round(kb / 1024);
}

export const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;

/**
 * A workspace made through the app's own code, on the Enterprise tier (50
 * concurrent runs, 10,000 requests a minute: benchmarks measure the work, not
 * refusals) with credits for every run; returns the headers of its API key.
 */
export async function benchApiKey(): Promise<Record<string, string>> {
  return (await benchAccount()).headers;
}

/** benchApiKey's workspace, with what signs its user in (email, password) and their ids. */
export async function benchAccount() {
  const { signUp } = await import("../lib/accounts/sign-up");
  const { principalFromUser } = await import("../lib/auth/principal");
  const { createApiKey } = await import("../lib/api-keys/api-keys");
  const { getDb } = await import("../lib/db/client");
  const ledger = await import("../lib/ledger/ledger");
  const [email, password] = [`bench-${Date.now()}@bench.agora.dev`, "bench password 1"];
  const { user, workspace } = await signUp({ email, password, name: "Bench" }, { ip: null, baseUrl: "http://localhost:3000" });
  await getDb().workspace.update({ where: { id: workspace.id }, data: { tierCode: "enterprise" } });
  await getDb().$transaction(async (tx) =>
    ledger.transfer(tx, { debit: ledger.SYSTEM_ACCOUNTS.promotions, credit: await ledger.walletFor(tx, workspace.id), amount: 1_000_000_000_000n, reason: "admin_grant", idempotencyKey: randomUUID(), workspaceId: workspace.id }),
  );
  const key = await createApiKey(await principalFromUser(user.id), { name: "bench" });
  const headers: Record<string, string> = { authorization: `Bearer ${key.secret}`, "content-type": "application/json" };
  return { headers, email, password, userId: user.id, workspaceId: workspace.id };
}
