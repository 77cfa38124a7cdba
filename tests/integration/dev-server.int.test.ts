import { spawn, type ChildProcess } from "node:child_process";
import { chmodSync, existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it, vi } from "vitest";
import { freePort } from "@/lib/db/embedded";

// Rule one: `npm run dev` with nothing configured serves a working app on an
// embedded PostgreSQL, and a second start reuses the same data.

const dataDir = mkdtempSync(path.join(tmpdir(), "agora-dev-"));
chmodSync(dataDir, 0o755);
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

async function startDev(port: number, pgPort: number) {
  const env: NodeJS.ProcessEnv = { ...process.env, PORT: String(port), AGORA_PG_PORT: String(pgPort), AGORA_DATA_DIR: dataDir };
  delete env.DATABASE_URL;
  delete env.NEXTAUTH_SECRET;
  // Its own process group, as a terminal would start it: Ctrl-C (stop() below) signals the whole group.
  const child = spawn(path.join(process.cwd(), "node_modules", ".bin", "tsx"), ["scripts/start.ts", "dev"], { env, stdio: ["ignore", "pipe", "pipe"], detached: true });
  started.push(child);
  let output = "";
  child.stdout!.on("data", (d) => (output += d));
  child.stderr!.on("data", (d) => (output += d));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no banner in time:\n${output}`)), 150_000);
    child.stdout!.on("data", () => output.includes("Agora is ready") && (clearTimeout(timer), resolve()));
    child.on("exit", (code) => (clearTimeout(timer), reject(new Error(`exited ${code}:\n${output}`))));
  });
  return { child, output: () => output };
}

const signUpPersistentUser = (port: number) =>
  fetch(`http://127.0.0.1:${port}/api/v1/auth/signup`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ email: "persist@dev.test", password: "persist password", name: "P" }),
  });

const groupAlive = (pid: number) => {
  try {
    process.kill(-pid, 0);
    return true;
  } catch {
    return false;
  }
};

/** Ctrl-C: SIGINT to the process group; every process of it (tsx, the script, Next and its server) must end. */
async function stop(child: ChildProcess) {
  const exited = child.exitCode === null ? new Promise((r) => child.once("exit", r)) : Promise.resolve();
  process.kill(-child.pid!, "SIGINT");
  await exited;
  await vi.waitFor(() => expect(groupAlive(child.pid!), "a process of `npm run dev` outlived Ctrl-C").toBe(false), { timeout: 30_000, interval: 100 });
}

// Whatever happens in the test, nothing it started outlives it.
const started: ChildProcess[] = [];
afterAll(() => {
  for (const c of started) if (groupAlive(c.pid!)) process.kill(-c.pid!, "SIGKILL");
});

describe("npm run dev", () => {
  it("starts the embedded database, migrates, seeds, serves the landing page, and reuses the data next time", async () => {
    const port = await freePort();
    const pgPort = await freePort();
    const first = await startDev(port, pgPort);
    try {
      expect(first.output()).toContain("demo@agora.dev / agora-demo");
      expect((await fetch(`http://127.0.0.1:${port}/`)).status).toBe(200);
      expect((await signUpPersistentUser(port)).status).toBe(201);
    } finally {
      await stop(first.child);
    }
    expect(existsSync(path.join(dataDir, "postgres", "PG_VERSION"))).toBe(true);
    expect(existsSync(path.join(dataDir, "postgres", "postmaster.pid"))).toBe(false);

    const second = await startDev(port, pgPort);
    try {
      expect(second.output()).not.toContain("Applied migrations");
      expect((await signUpPersistentUser(port)).status).toBe(409); // the first run's user is still there
    } finally {
      await stop(second.child);
    }
  }, 360_000);
});
