import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";

// CPU time of a process tree from /proc: its own user + system time, what its
// reaped children used (cutime + cstime), and the same of each live child. A
// child that exits moves its time into its parent's reaped total, so the sum
// only grows: the difference of two samples is the tree's CPU between them.

const ticksPerSecond = Number(spawnSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).stdout.trim()) || 100;

/** The tree's CPU time so far, in ms (0 for a process that has exited). */
export function treeCpuMs(pid: number): number {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  } catch {
    return 0; // exited meanwhile: its time is in its parent's reaped total
  }
  // Fields after the command name (which may hold spaces): state is field 3, utime 14, stime 15, cutime 16, cstime 17.
  const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ").map(Number);
  const own = (f[11]! + f[12]! + f[13]! + f[14]!) * (1000 / ticksPerSecond);
  const children = spawnSync("pgrep", ["-P", String(pid)], { encoding: "utf8" }).stdout.split("\n").filter(Boolean).map(Number);
  return own + children.reduce((sum, child) => sum + treeCpuMs(child), 0);
}

/** The postmaster of the PostgreSQL cluster in `dataDir` (its children are every postgres process of that cluster). */
export function postmasterPid(dataDir: string): number {
  return Number(readFileSync(path.join(dataDir, "postmaster.pid"), "utf8").split("\n")[0]);
}
