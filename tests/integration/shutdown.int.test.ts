import { afterAll, describe, expect, it, vi } from "vitest";
import { getDb } from "@/lib/db/client";
import { checkLedgerInvariants } from "@/lib/ledger/invariants";
import { killAppProcesses, startAppProcess } from "../helpers/app-process";
import { createUser, setWallet } from "../helpers/factories";
import { scannerAnswer } from "../helpers/run-harness";
import { fakeAnthropicForFile } from "../helpers/lifecycle";

// Graceful shutdown in a real process (tests/helpers/run-process.ts "shutdown",
// the server's own engine and SIGTERM handler): of 5 running runs, those that
// can finish within the grace period do; the others are handed back to the
// queue, unfinished and uncharged; a run offered after the signal is refused;
// exit code 0. A worker started afterwards resumes the handed-back runs.

const db = getDb();
const fake = await fakeAnthropicForFile();
afterAll(killAppProcesses);

describe("graceful shutdown", () => {
  it("SIGTERM during 5 running runs: 2 finish within the grace, 3 go back to the queue; new runs refused; exit 0; a new worker resumes the 3", async () => {
    const owner = await createUser("shutdown", { tier: "enterprise" });
    // Five holds at once (~$0.23 each): more than the $1 sign-up grant unless the quick runs
    // happen to finish first — on a slow machine they do not.
    await setWallet(owner.workspace.id, 100_000_000n);
    // Two answers that take ~0.3 s, then streams that never end.
    const answer = { kind: "message" as const, blocks: [{ type: "text" as const, text: scannerAnswer() }], delayMs: 5 };
    fake.script(answer, answer, { kind: "stall", blocks: [{ type: "text", text: "thinking…" }] });
    const model = { ANTHROPIC_API_KEY: "sk-ant-test-key-not-real", ANTHROPIC_BASE_URL: fake.url };
    const app = startAppProcess(["shutdown", owner.user.id], { ...model, GRACE_MS: "3000" });
    const ids = (await app.printed(/^ids:/)).slice("ids:".length).split(",");
    expect(ids, app.stderr()).toHaveLength(5);
    // All five started (the stalled ones stream "thinking…").
    await vi.waitFor(async () => expect(await db.run.count({ where: { id: { in: ids }, status: "QUEUED" } })).toBe(0), { timeout: 20_000, interval: 50 });
    app.child.kill("SIGTERM");
    expect(await app.exited, app.stderr()).toBe(0);
    expect(app.stdout()).toContain("refused:shutting_down");
    const runs = await db.run.findMany({ where: { id: { in: ids } }, select: { id: true, status: true, priceMicros: true } });
    expect(runs.filter((r) => r.status === "SUCCEEDED")).toHaveLength(2);
    const handedBack = runs.filter((r) => r.status === "RUNNING").map((r) => r.id);
    expect(handedBack).toHaveLength(3);
    // Nothing charged or released for them yet: their holds are still pending.
    const pending = await db.transfer.count({ where: { runId: { in: handedBack }, kind: "PENDING", resolution: { is: null } } });
    expect(pending).toBe(3);

    // The model answers now; a worker takes the three up again from their event logs.
    fake.script(answer);
    const worker = startAppProcess(["worker"], model);
    await worker.printed("ready");
    await vi.waitFor(async () => expect(await db.run.count({ where: { id: { in: ids }, status: "SUCCEEDED" } })).toBe(5), { timeout: 30_000, interval: 100 });
    for (const id of handedBack) {
      const types = (await db.runEvent.findMany({ where: { runId: id }, orderBy: { seq: "asc" }, select: { type: true } })).map((e) => e.type);
      expect(types.filter((t) => t === "resumed")).toHaveLength(1);
      expect(types.at(-1)).toBe("usage");
    }
    // Every hold posted once (charged exactly once), and the ledger balances.
    const holds = await db.transfer.findMany({ where: { runId: { in: ids }, kind: "PENDING" }, select: { resolution: { select: { kind: true } } } });
    expect(holds.map((h) => h.resolution?.kind)).toEqual(Array(5).fill("POST_PENDING"));
    expect(await checkLedgerInvariants(db)).toEqual([]);
    worker.child.kill("SIGTERM");
    expect(await worker.exited).toBe(0);
  }, 120_000);
});
