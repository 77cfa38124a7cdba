import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/lib/db/client";
import { startFakeAnthropic, type FakeAnthropic } from "../fakes/anthropic-server";
import { killAppProcesses, startAppProcess } from "../helpers/app-process";
import { createUser } from "../helpers/factories";
import { scannerAnswer } from "../helpers/run-harness";
import { readRunStream } from "../helpers/sse";

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
    const { events, statusesAtText } = await readRunStream(id, user.user.id);
    expect(await a.exited).toBe(0);
    expect(events.at(-1)!.event).toBe("usage");
    expect(events.filter((e) => e.event === "text").length).toBeGreaterThan(1);
    expect(statusesAtText).toContain("RUNNING"); // text arrived while process A was still executing
    expect(await status(id)).toBe("SUCCEEDED");
  });
});
