import { describe, expect, it, vi } from "vitest";
import { getDb } from "@/lib/db/client";
import { checkLedgerInvariants } from "@/lib/ledger/invariants";
import { startAppProcess } from "../helpers/app-process";
import { createUser, setWallet } from "../helpers/factories";
import { scannerAnswer } from "../helpers/run-harness";
import { fakeAnthropicForFile } from "../helpers/lifecycle";

// Graceful shutdown in a real process (tests/helpers/run-process.ts "shutdown",
// with the server's own SIGTERM handler): of 5 running runs, those that can
// finish within the grace period do; the others end FAILED `interrupted` with
// their holds voided; a run offered after the signal is refused; exit code 0.

const db = getDb();
const fake = await fakeAnthropicForFile();

describe("graceful shutdown", () => {
  it("SIGTERM during 5 running runs: 2 finish within the grace, 3 end interrupted with holds voided; new runs refused; exit 0", async () => {
    const owner = await createUser("shutdown", { tier: "enterprise" });
    // Five holds at once (~$0.23 each): more than the $1 sign-up grant unless the quick runs
    // happen to finish first — on a slow machine they do not.
    await setWallet(owner.workspace.id, 100_000_000n);
    // Two answers that take ~0.3 s, then streams that never end.
    const answer = { kind: "message" as const, blocks: [{ type: "text" as const, text: scannerAnswer() }], delayMs: 5 };
    fake.script(answer, answer, { kind: "stall", blocks: [{ type: "text", text: "thinking…" }] });
    const app = startAppProcess(["shutdown", owner.user.id, fake.url], { GRACE_MS: "3000" });
    const ids = (await app.firstLine()).split(",");
    expect(ids, app.stderr()).toHaveLength(5);
    // All five started (the stalled ones stream "thinking…").
    await vi.waitFor(async () => expect(await db.run.count({ where: { id: { in: ids }, status: "QUEUED" } })).toBe(0), { timeout: 20_000, interval: 50 });
    app.child.kill("SIGTERM");
    expect(await app.exited, app.stderr()).toBe(0);
    expect(app.stdout()).toContain("refused:shutting_down");
    const runs = await db.run.findMany({ where: { id: { in: ids } }, select: { id: true, status: true, errorCode: true, priceMicros: true } });
    expect(runs.filter((r) => r.status === "SUCCEEDED")).toHaveLength(2);
    const interrupted = runs.filter((r) => r.status === "FAILED");
    expect(interrupted).toHaveLength(3);
    expect(interrupted.every((r) => r.errorCode === "interrupted" && r.priceMicros === 0n)).toBe(true);
    // Every hold resolved: posted for the two that succeeded, voided for the three.
    const holds = await db.transfer.findMany({ where: { runId: { in: ids }, kind: "PENDING" }, select: { id: true, resolution: { select: { kind: true } } } });
    expect(holds.map((h) => h.resolution?.kind).sort()).toEqual(["POST_PENDING", "POST_PENDING", "VOID_PENDING", "VOID_PENDING", "VOID_PENDING"]);
    expect(await checkLedgerInvariants(db)).toEqual([]);
  }, 90_000);
});
