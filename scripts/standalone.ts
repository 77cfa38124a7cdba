// The production server is Next's standalone output (next.config.ts `output:
// "standalone"`): `.next/standalone/server.js` with only the files it needs. Next
// leaves the browser assets out of it; `finishStandalone()` copies them in, so the
// folder runs on its own — the Dockerfile's runtime image is that folder.
//
//   npm run build  → next build, then this script (finishStandalone)
//
// `npm start`, the e2e server and the benchmarks start the server through
// `startStandalone()`.
import { spawn, spawnSync, type ChildProcess, type StdioOptions } from "node:child_process";
import { cpSync, existsSync, rmSync } from "node:fs";
import path from "node:path";

const root = process.cwd();
export const standaloneDir = path.join(root, ".next", "standalone");

/** Copies `.next/static` (and `public/`, when there is one) into the standalone folder. */
export function finishStandalone(dir = standaloneDir) {
  if (!existsSync(path.join(dir, "server.js"))) throw new Error(`${dir}/server.js is missing: is output "standalone" still set in next.config.ts?`);
  rmSync(path.join(dir, ".next", "static"), { recursive: true, force: true });
  cpSync(path.join(root, ".next", "static"), path.join(dir, ".next", "static"), { recursive: true });
  if (existsSync(path.join(root, "public"))) cpSync(path.join(root, "public"), path.join(dir, "public"), { recursive: true });
}

/** `npm run build` (next build, then the copy above: package.json says it once); returns its exit status. */
export function buildStandalone(env: NodeJS.ProcessEnv = process.env): number {
  return spawnSync("npm", ["run", "build"], { stdio: "inherit", env }).status ?? 1;
}

export const hasStandaloneBuild = () => existsSync(path.join(standaloneDir, "server.js")) && existsSync(path.join(standaloneDir, ".next", "static"));

/**
 * Node flags of the production server (the Dockerfile's CMD says the same). AsyncLocalStorage — Next
 * keeps each request's context in it — carried by the async context frame instead of promise hooks on
 * every promise: 10–20 % less server CPU per API request (bench/route-overhead.ts). The default from
 * Node 24 on.
 */
export const SERVER_NODE_FLAGS = ["--experimental-async-context-frame"];

/**
 * Runs `server.js` of a standalone folder (by default this checkout's) on host:port.
 * The server makes its folder its working directory: it needs nothing else.
 */
export function startStandalone(opts: { port: number; host: string; env: NodeJS.ProcessEnv; dir?: string; nodeArgs?: string[]; stdio?: StdioOptions; uid?: number }): ChildProcess {
  const dir = opts.dir ?? standaloneDir;
  return spawn(process.execPath, [...SERVER_NODE_FLAGS, ...(opts.nodeArgs ?? []), path.join(dir, "server.js")], {
    cwd: dir,
    ...(opts.uid === undefined ? {} : { uid: opts.uid, gid: opts.uid }),
    stdio: opts.stdio ?? "inherit",
    env: { ...opts.env, PORT: String(opts.port), HOSTNAME: opts.host },
  });
}

if (process.argv[1]?.endsWith("standalone.ts")) finishStandalone();
