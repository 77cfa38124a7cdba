import { execFileSync } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { resolveDataDir } from "@/lib/db/embedded";

// PostgreSQL refuses to run as root; CI runs as root, developers usually do not.
// Both ways are exercised: as root we also run as an unprivileged user.

const isRoot = process.getuid?.() === 0;
const tsx = path.join(process.cwd(), "node_modules", ".bin", "tsx");
const script = path.join(process.cwd(), "tests", "helpers", "embedded-roundtrip.ts");
const scratch = mkdtempSync(path.join(tmpdir(), "agora-embedded-"));
chmodSync(scratch, 0o755);
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function roundtrip(dataDir: string, asUser?: string) {
  const cmd = asUser ? ["runuser", ["-u", asUser, "--", tsx, script, dataDir]] : [tsx, [script, dataDir]];
  return execFileSync(cmd[0] as string, cmd[1] as string[], { encoding: "utf8", timeout: 90_000, env: { ...process.env, HOME: scratch } });
}

describe("embedded PostgreSQL", () => {
  it(`initialises a fresh data directory as the current user (${isRoot ? "root, via the postgres user" : "non-root"}) and keeps its data across restarts`, () => {
    const dataDir = path.join(scratch, "current", "pg");
    expect(roundtrip(dataDir)).toContain("rows=1");
    expect(existsSync(path.join(dataDir, "PG_VERSION"))).toBe(true);
    expect(roundtrip(dataDir)).toContain("rows=2");
  });

  it(isRoot ? "also runs for an unprivileged user" : "runs without root", () => {
    const dir = path.join(scratch, "unprivileged");
    mkdirSync(dir, { recursive: true });
    if (isRoot) {
      try {
        execFileSync("id", ["agora-ci"], { stdio: "ignore" });
      } catch {
        execFileSync("useradd", ["--system", "--no-create-home", "agora-ci"]);
      }
      execFileSync("chown", ["agora-ci", dir]);
    }
    expect(roundtrip(path.join(dir, "pg"), isRoot ? "agora-ci" : undefined)).toContain("rows=1");
  });

  it("moves the data out of a directory the postgres user cannot reach (root-only home)", () => {
    const closed = path.join(scratch, "closed");
    mkdirSync(closed, { mode: 0o700 });
    chmodSync(closed, 0o700);
    const resolved = resolveDataDir(path.join(closed, ".data", "postgres"));
    if (isRoot) {
      expect(resolved.relocated).toBe(true);
      expect(resolved.dataDir).toMatch(/^\/var\/tmp\/agora-postgres-[0-9a-f]{12}$/);
    } else {
      expect(resolved).toEqual({ dataDir: path.join(closed, ".data", "postgres"), relocated: false });
    }
  });
});
