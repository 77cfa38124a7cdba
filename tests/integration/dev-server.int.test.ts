import { spawn, type ChildProcess } from "node:child_process";
import { chmodSync, existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it, vi } from "vitest";
import { securityScanner } from "@/lib/agents/security-scanner/package";
import { freePort } from "@/lib/db/embedded";
import { DEMO_EMAIL } from "@/lib/db/seed";

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

/** Signs in as the seeded demo member (next-auth's credentials flow), starts a Security Scanner run and waits for it to end. */
async function runAsDemo(port: number) {
  const base = `http://127.0.0.1:${port}`;
  const cookies = new Map<string, string>();
  const keep = (res: Response) => {
    for (const c of res.headers.getSetCookie()) cookies.set(c.split("=")[0]!, c.split(";")[0]!);
    return res;
  };
  const cookie = () => [...cookies.values()].join("; ");
  const { csrfToken } = (await keep(await fetch(`${base}/api/auth/csrf`)).json()) as { csrfToken: string };
  const form = new URLSearchParams({ csrfToken, email: DEMO_EMAIL, password: "agora-demo", json: "true" });
  keep(await fetch(`${base}/api/auth/callback/credentials`, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded", cookie: cookie() }, body: form, redirect: "manual" }));
  expect([...cookies.keys()].some((k) => k.endsWith("next-auth.session-token"))).toBe(true);
  const headers = { cookie: cookie(), origin: `http://localhost:${port}`, "content-type": "application/json" };
  const created = await fetch(`${base}/api/v1/runs`, { method: "POST", headers, body: JSON.stringify({ agent: "security-scanner", input: securityScanner.exampleInput }) });
  expect(created.status, await created.clone().text()).toBe(201);
  const { id } = (await created.json()) as { id: string };
  let run: { status: string; provider: string } | undefined;
  await vi.waitFor(
    async () => {
      run = (await (await fetch(`${base}/api/v1/runs/${id}`, { headers })).json()) as { status: string; provider: string };
      expect(run.status).toMatch(/SUCCEEDED|FAILED|CANCELED/);
    },
    { timeout: 120_000, interval: 500 },
  );
  return run;
}

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
      // A run started as the demo member completes: one process, role `all`, the offline model, jobs on the same database.
      const run = await runAsDemo(port);
      expect(run).toMatchObject({ status: "SUCCEEDED", provider: "offline" });
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
