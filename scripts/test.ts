// npm test → tsx scripts/test.ts
//
// Runs every tier whatever the one before did — Vitest (unit, integration,
// chaos; then tests/alone/, the responsiveness checks, with nothing beside them)
// then Playwright (the browser against a production build) — so one failure
// does not hide the other's results, prints each tier's counts and one closing
// line, and exits non-zero when either tier failed. One tier alone, or some
// files of it: npm run test:unit -- <filter> / npm run test:e2e -- <filter>.
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

type Counts = { passed: number; failed: number; skipped: number };
type Tier = { name: string; exitCode: number; counts: Counts | null; problems: string[]; failures: string[] };

const reports = mkdtempSync(path.join(tmpdir(), "agora-test-"));

let interrupted = false; // Ctrl-C: the running tier stops, and no further tier starts

/** The sections of a runner's output that say why it failed outside any test (Vitest's "Unhandled Errors"), kept for the summary. */
function unhandledSections(output: string): string[] {
  const plain = output.replace(/\x1b\[[0-9;]*m/g, "");
  const start = plain.search(/⎯+ Unhandled (Errors?|Rejection)/);
  if (start < 0) return [];
  // The section runs to Vitest's closing counts. CI shows only the tail, so it is kept short:
  // each error's first lines without frames inside node_modules, and the test file it came from.
  const end = plain.indexOf(" Test Files ", start);
  const lines = plain.slice(start, end < 0 ? start + 20_000 : end).split("\n");
  const kept: string[] = [];
  let ofThisError = 0;
  for (const line of lines) {
    if (/^⎯+ Unhandled /.test(line)) ofThisError = 0;
    if (/❯ .*node_modules\//.test(line) || !line.trim()) continue;
    if (/originated in|^⎯+ Unhandled /.test(line) || ofThisError++ < 12) kept.push(line.slice(0, 300));
  }
  return [kept.slice(0, 80).join("\n")];
}

function run(command: string, args: string[], env: Record<string, string> = {}, output?: { text: string }): Promise<number> {
  if (interrupted) return Promise.resolve(130);
  return new Promise((resolve) => {
    const child = spawn(command, args, { stdio: ["inherit", output ? "pipe" : "inherit", output ? "pipe" : "inherit"], env: { ...process.env, ...env } });
    if (output) {
      // Shown as it comes, and kept: an error outside the tests is printed again in the summary (CI shows its tail).
      child.stdout!.on("data", (d: Buffer) => ((output.text += d.toString()), process.stdout.write(d)));
      child.stderr!.on("data", (d: Buffer) => ((output.text += d.toString()), process.stderr.write(d)));
    }
    const forward = (signal: NodeJS.Signals) => {
      interrupted = true;
      child.kill(signal);
    };
    process.on("SIGINT", forward).on("SIGTERM", forward);
    child.on("exit", (code, signal) => {
      process.off("SIGINT", forward).off("SIGTERM", forward);
      resolve(code ?? (signal ? 1 : 0));
    });
  });
}

function readJson(file: string): unknown {
  try {
    return JSON.parse(readFileSync(file, "utf8"));
  } catch {
    return null; // the runner died before writing its report: its exit code speaks
  }
}

/** Files that failed outside their tests (a hook, an import), from Vitest's JSON report. */
function vitestFileProblems(report: unknown): string[] {
  const files = (report as { testResults?: { name: string; status: string; message?: string; assertionResults?: { status: string }[] }[] } | null)?.testResults ?? [];
  return files
    .filter((f) => f.status === "failed" && f.message && !(f.assertionResults ?? []).some((a) => a.status === "failed"))
    .map((f) => `${path.relative(process.cwd(), f.name)}: ${f.message!.slice(0, 2_000)}`);
}

/** The tests that failed, with their file and the first line of the reason, from Vitest's JSON report (CI shows only the tail). */
function vitestFailures(report: unknown): string[] {
  const files = (report as { testResults?: { name: string; assertionResults?: { status: string; fullName: string; failureMessages?: string[] }[] }[] } | null)?.testResults ?? [];
  return files.flatMap((f) =>
    (f.assertionResults ?? [])
      .filter((a) => a.status === "failed")
      .map((a) => `${path.relative(process.cwd(), f.name)} › ${a.fullName}: ${firstLine(a.failureMessages?.[0])}`),
  );
}

type PlaywrightSuite = { file?: string; suites?: PlaywrightSuite[]; specs?: { title: string; ok: boolean; line?: number; file?: string; tests?: { results?: { error?: { message?: string } }[] }[] }[] };

/** The same for Playwright's JSON report: every spec that did not pass, however deep its describe blocks. */
function playwrightFailures(report: unknown): string[] {
  const walk = (suite: PlaywrightSuite): string[] => [
    ...(suite.specs ?? [])
      .filter((s) => !s.ok)
      .map((s) => `${s.file ?? suite.file}:${s.line ?? "?"} › ${s.title}: ${firstLine(s.tests?.flatMap((t) => t.results ?? []).find((r) => r.error)?.error?.message)}`),
    ...(suite.suites ?? []).flatMap(walk),
  ];
  return ((report as { suites?: PlaywrightSuite[] } | null)?.suites ?? []).flatMap(walk);
}

function firstLine(message: string | undefined): string {
  return (message ?? "").replace(/\x1b\[[0-9;]*m/g, "").split("\n").find((l) => l.trim())?.trim().slice(0, 300) ?? "(no message)";
}

/** Vitest's JSON reporter: numPassedTests / numFailedTests / numPendingTests (+ todo). */
function vitestCounts(report: unknown): Counts | null {
  const r = report as { numPassedTests?: number; numFailedTests?: number; numPendingTests?: number; numTodoTests?: number } | null;
  if (!r || typeof r.numPassedTests !== "number") return null;
  return { passed: r.numPassedTests, failed: r.numFailedTests ?? 0, skipped: (r.numPendingTests ?? 0) + (r.numTodoTests ?? 0) };
}

/** Playwright's JSON reporter: stats.expected / unexpected / flaky / skipped. */
function playwrightCounts(report: unknown): Counts | null {
  const stats = (report as { stats?: { expected: number; unexpected: number; flaky: number; skipped: number } } | null)?.stats;
  if (!stats) return null;
  return { passed: stats.expected + stats.flaky, failed: stats.unexpected, skipped: stats.skipped };
}

const vitestReport = path.join(reports, "vitest.json");
const playwrightReport = path.join(reports, "playwright.json");

const tiers: Tier[] = [];
const vitest = async (name: string, env: Record<string, string> = {}) => {
  const output = { text: "" };
  const exitCode = await run("npx", ["vitest", "run", "--reporter=default", "--reporter=json", `--outputFile.json=${vitestReport}`], env, output);
  const report = readJson(vitestReport);
  tiers.push({ name, exitCode, counts: vitestCounts(report), problems: [...vitestFileProblems(report), ...unhandledSections(output.text)], failures: vitestFailures(report) });
  rmSync(vitestReport, { force: true });
};
await vitest("Vitest (unit, integration, chaos)");
await vitest("Vitest (tests/alone: responsiveness, one file at a time)", { VITEST_ALONE: "1" });
const e2eExit = await run("npx", ["playwright", "test", "--reporter=list,json"], { PLAYWRIGHT_JSON_OUTPUT_NAME: playwrightReport });
const e2eReport = readJson(playwrightReport);
tiers.push({ name: "Playwright (browser)", exitCode: e2eExit, counts: playwrightCounts(e2eReport), problems: [], failures: playwrightFailures(e2eReport) });
rmSync(reports, { recursive: true, force: true });

const total: Counts = { passed: 0, failed: 0, skipped: 0 };
console.log("\n── npm test ──");
for (const t of tiers) {
  const c = t.counts;
  const verdict = t.exitCode === 0 ? "ok" : `FAILED (exit ${t.exitCode})`;
  console.log(`${t.name}: ${c ? `${c.passed} passed, ${c.failed} failed, ${c.skipped} skipped` : "no report"} — ${verdict}`);
  if (c) for (const k of ["passed", "failed", "skipped"] as const) total[k] += c[k];
  for (const f of t.failures.slice(0, 20)) console.log(`  failed: ${f}`);
  for (const p of t.problems) console.log(`  failed outside a test:\n${p.replace(/^/gm, "    ")}`);
  // A runner that failed without a failing test (a crash, a setup error) still counts as a failure.
  if (t.exitCode !== 0 && (!c || c.failed === 0)) total.failed += 1;
}
console.log(`${total.passed} passed, ${total.failed} failed, ${total.skipped} skipped`);
process.exitCode = tiers.some((t) => t.exitCode !== 0) ? 1 : 0;
