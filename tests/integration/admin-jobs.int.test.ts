import { afterAll, describe, expect, it, vi } from "vitest";
import { getDb } from "@/lib/db/client";
import { jobBoss, stopJobBoss } from "@/lib/jobs/boss";
import { POST } from "@/app/api/v1/admin/jobs/[name]/route";
import { callRoute, sessionCookie } from "../helpers/call-route";
import { createUser } from "../helpers/factories";

// "Run now" for a scheduled job (the admin console's health page): the job is
// queued on the engine as its schedule would queue it — once (a stately queue
// keeps one waiting) — run by whoever works the queue, and audit-logged.

const db = getDb();
afterAll(() => stopJobBoss(2_000));

describe("running a scheduled job now", () => {
  it("queues it once, a process working the queue runs it, and the audit log names the admin", async () => {
    const admin = await createUser("jobs-admin");
    await db.user.update({ where: { id: admin.user.id }, data: { isAdmin: true } });
    const cookie = await sessionCookie(admin.user.id);
    const run = (name: string) => callRoute(POST as never, { method: "POST", path: `/api/v1/admin/jobs/${name}`, params: { name }, headers: { cookie } });

    expect(await run("no.such.job")).toMatchObject({ status: 404, body: { error: { code: "not_found" } } });
    const boss = await jobBoss();
    await boss.deleteQueue("earnings.mature").catch(() => undefined);
    expect(await run("earnings.mature")).toMatchObject({ status: 409, body: { error: { message: expect.stringContaining("no queue yet") } } });

    await boss.createQueue("earnings.mature", { policy: "stately" });
    const first = await run("earnings.mature");
    expect(first.status).toBe(200);
    const jobId = (first.body as unknown as { jobId: string }).jobId;
    expect(await run("earnings.mature")).toMatchObject({ status: 409, body: { error: { message: expect.stringContaining("already waiting") } } });

    const ran: string[] = [];
    await boss.work("earnings.mature", { pollingIntervalSeconds: 0.5 }, async ([job]) => void (job && ran.push(job.id)));
    await vi.waitFor(() => expect(ran).toEqual([jobId]), { timeout: 20_000, interval: 100 });
    expect(await db.auditLog.findMany({ where: { action: "job.run", actorUserId: admin.user.id }, select: { target: true, metadata: true } })).toEqual([{ target: "earnings.mature", metadata: { jobId } }]);
  });
});
