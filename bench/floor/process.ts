import { spawn } from "node:child_process";
import path from "node:path";
import { createInterface } from "node:readline";

/** The floor server (bench/floor/main.ts) in a process of its own, so that its CPU can be measured apart; resolves once it listens. */
export async function startFloorProcess(env: Record<string, string>) {
  const child = spawn(process.execPath, ["--import", "tsx", path.join(import.meta.dirname, "main.ts")], { env: { ...process.env, ...env, PORT: "0" }, stdio: ["ignore", "pipe", "inherit"] });
  const url = await new Promise<string>((resolve, reject) => {
    child.once("exit", (code) => reject(new Error(`the floor server exited (${code}) before listening`)));
    createInterface({ input: child.stdout }).on("line", (line) => {
      const m = /^listening (\S+)/.exec(line);
      if (m) resolve(m[1]!);
    });
  });
  return {
    url,
    pid: child.pid!,
    async stop() {
      child.kill("SIGTERM");
      await new Promise((r) => (child.exitCode !== null || child.signalCode !== null ? r(null) : child.once("exit", r)));
    },
  };
}
