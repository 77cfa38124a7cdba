import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";

// A second app process (tests/helpers/run-process.ts, one of its modes, or another
// script) for the cross-process tests: `node --import tsx`, one OS process, so
// SIGKILL really kills it. It shares the test database through the inherited environment.

const script = path.join(process.cwd(), "tests", "helpers", "run-process.ts");
const running = new Set<ChildProcess>();

export function startAppProcess(args: string[], env: Record<string, string> = {}, file = script) {
  const child = spawn(process.execPath, ["--import", "tsx", file, ...args], { env: { ...process.env, AGORA_TEST_APP_PROCESS: "1", ...env }, stdio: ["ignore", "pipe", "pipe"] });
  running.add(child);
  let stdout = "";
  let stderr = "";
  child.stdout!.on("data", (d: Buffer) => (stdout += d.toString()));
  child.stderr!.on("data", (d: Buffer) => (stderr += d.toString()));
  // The exit code, or the signal that ended the process (a test expecting 0 then names it).
  const exited = new Promise<number | NodeJS.Signals | null>((resolve) =>
    child.once("exit", (code, signal) => {
      running.delete(child);
      resolve(code ?? signal);
    }),
  );
  /** Resolves with the first line it prints equal to `text`, or matching it (log lines may come first). Rejects, with its stderr, if it exits first. */
  const printed = (text: string | RegExp) =>
    new Promise<string>((resolve, reject) => {
      const seen = () => stdout.split("\n").find((l) => (typeof text === "string" ? l === text : text.test(l)));
      const onData = () => {
        const line = seen();
        if (line === undefined) return;
        child.stdout!.off("data", onData);
        resolve(line);
      };
      child.stdout!.on("data", onData);
      onData();
      void exited.then((code) => seen() === undefined && reject(new Error(`app process exited (${code}) before printing "${text}": ${stderr}`)));
    });
  /** The first line it prints; a cold child compiles the app first, so this may take a while. Rejects, with its stderr, if it exits first. */
  const firstLine = () =>
    new Promise<string>((resolve, reject) => {
      const line = () => (stdout.includes("\n") ? stdout.slice(0, stdout.indexOf("\n")) : undefined);
      const onData = () => {
        const l = line();
        if (l === undefined) return;
        child.stdout!.off("data", onData);
        resolve(l);
      };
      child.stdout!.on("data", onData);
      onData();
      void exited.then((code) => line() === undefined && reject(new Error(`app process exited (${code}) before printing a line: ${stderr}`)));
    });
  return { child, firstLine, printed, exited, stdout: () => stdout, stderr: () => stderr };
}

/** Kills what is still running (afterAll). */
export function killAppProcesses() {
  for (const child of running) child.kill("SIGKILL");
}
