import { NextRequest } from "next/server";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import * as eventsRoute from "@/app/api/v1/runs/[id]/events/route";
import { getDb } from "@/lib/db/client";
import { startFakeAnthropic, type FakeAnthropic } from "../fakes/anthropic-server";
import { killAppProcesses, startAppProcess } from "../helpers/app-process";
import { sessionCookie } from "../helpers/call-route";
import { createUser } from "../helpers/factories";
import { scannerAnswer } from "../helpers/run-harness";
import { readSse } from "../helpers/sse";

// Two real processes sharing one PostgreSQL: this test process and a child
// started with `node --import tsx` (one OS process, so SIGKILL really kills it). No in-memory state crosses between them.

let fake: FakeAnthropic;
let user: Awaited<ReturnType<typeof createUser>>;
beforeAll(async () => {
  fake = await startFakeAnthropic();
  user = await createUser("cross");
});
afterAll(async () => {
  killAppProcesses();
  await fake.close();
});

const status = async (id: string) => (await getDb().run.findUniqueOrThrow({ where: { id } })).status;

describe("runs across processes", () => {
  it("streams live, over SSE in this process, a run that another process executes", async () => {
    // A slow stream (8 characters every 40 ms) so the run is still going while we read.
    fake.script({ kind: "message", blocks: [{ type: "text", text: scannerAnswer() }], delayMs: 40 });
    const a = startAppProcess(["accept", user.user.id, fake.url]);
    const id = await a.firstLine();
    const req = new NextRequest(`http://127.0.0.1:3999/api/v1/runs/${id}/events`, { headers: { cookie: await sessionCookie(user.user.id) } });
    const res = await eventsRoute.GET(req, { params: Promise.resolve({ id }) });

    const statusWhenSeen: Promise<string>[] = [];
    const events = await readSse(res, (e) => {
      if (e.event === "text") {
        const seen = status(id);
        seen.catch(() => undefined); // handled now, so a failed read is not an unhandled rejection; Promise.all below still fails on it
        statusWhenSeen.push(seen);
      }
      return false;
    });
    expect(await a.exited).toBe(0);
    expect(events.at(-1)!.event).toBe("usage");
    expect(events.filter((e) => e.event === "text").length).toBeGreaterThan(1);
    expect(await Promise.all(statusWhenSeen)).toContain("RUNNING"); // text arrived while process A was still executing
    expect(await status(id)).toBe("SUCCEEDED");
  });

  it("a run whose process is killed mid-run ends FAILED (interrupted) when the app starts again; nothing stays RUNNING", async () => {
    fake.script({ kind: "stall", blocks: [{ type: "text", text: "working on it" }] });
    const a = startAppProcess(["accept", user.user.id, fake.url], { AGORA_RUN_LEASE_MS: "1000" });
    const id = await a.firstLine();
    await vi.waitFor(async () => expect(await status(id)).toBe("RUNNING"), { timeout: 10_000, interval: 20 });
    a.child.kill("SIGKILL");
    await a.exited;
    // The dead process's lease lapses (by the database's clock, which recovery uses).
    await vi.waitFor(async () => expect((await getDb().$queryRaw<{ lapsed: boolean }[]>`SELECT "leaseExpiresAt" < now() AS lapsed FROM "Run" WHERE id = ${id}`)[0]?.lapsed).toBe(true), { timeout: 10_000, interval: 50 });

    const boot = startAppProcess(["boot"], { AGORA_RUN_LEASE_MS: "1000" });
    expect(await boot.exited, boot.stderr()).toBe(0);
    const run = await getDb().run.findUniqueOrThrow({ where: { id } });
    expect(run.status).toBe("FAILED");
    expect(run.errorCode).toBe("interrupted");
    expect(run.leaseExpiresAt).toBeNull();
    const last = await getDb().runEvent.findFirst({ where: { runId: id }, orderBy: { seq: "desc" } });
    expect(last!.type).toBe("usage");
    expect(await getDb().run.count({ where: { status: "RUNNING", workspaceId: user.workspace.id } })).toBe(0);
  });
});
