import { describe, expect, it, vi } from "vitest";
import { GET as healthRoute } from "@/app/api/v1/admin/health/route";
import { getDb } from "@/lib/db/client";
import { callRoute, sessionCookie } from "../helpers/call-route";
import { createUser } from "../helpers/factories";
import { runToEnd, testExecutor } from "../helpers/run-harness";

// The admin console's Health page reads GET /api/v1/admin/health: among the rest,
// the job engine's queues and the processes working them (issue 17).

type Health = { jobs: { queues: { name: string; waiting: number; active: number; failed: number }[]; workers: { role: string; pid: number; executesRuns: boolean }[] } | null };

describe("GET /api/v1/admin/health", () => {
  it("lists the run queues with their counts and every process, with whether it executes runs", async () => {
    const admin = await createUser("health-admin");
    await getDb().user.update({ where: { id: admin.user.id }, data: { isAdmin: true } });
    const executor = testExecutor({ concurrency: 3 });
    expect((await runToEnd(executor, admin.principal)).run.status).toBe("SUCCEEDED");
    const queues = (await executor.config.jobs()).queues;

    const cookie = await sessionCookie(admin.user.id);
    // Counts and the process registry are refreshed by pg-boss every supervision pass (a second or two in tests).
    await vi.waitFor(
      async () => {
        const res = await callRoute(healthRoute, { headers: { cookie } });
        expect(res.status).toBe(200);
        const { jobs } = res.body as unknown as Health;
        expect(jobs!.queues.map((q) => q.name)).toEqual(expect.arrayContaining([queues.standard, queues.priority]));
        expect(jobs!.queues.find((q) => q.name === queues.standard)).toMatchObject({ waiting: 0, active: 0, failed: 0 });
        // This process executes runs (its test executor works the file's queues).
        expect(jobs!.workers.filter((w) => w.pid === process.pid).some((w) => w.executesRuns)).toBe(true);
      },
      { timeout: 20_000, interval: 250 },
    );

    const member = await createUser("health-member");
    expect((await callRoute(healthRoute, { headers: { cookie: await sessionCookie(member.user.id) } })).status).toBe(403);
  });
});
