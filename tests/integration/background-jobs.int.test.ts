import { afterAll, afterEach, describe, expect, it, vi } from "vitest";
import type { PgBoss } from "pg-boss";
import { securityScanner } from "@/lib/agents/security-scanner/package";
import { getDb } from "@/lib/db/client";
import { env } from "@/lib/env";
import { createBoss } from "@/lib/jobs/boss";
import { BACKGROUND_JOBS, type BackgroundJob } from "@/lib/jobs/registry";
import { startBackgroundJobs } from "@/lib/jobs/start";
import { monthSpend, WORKSPACE_SCOPE } from "@/lib/ledger/budgets";
import { workspaceBalance } from "@/lib/ledger/ledger";
import { metrics } from "@/lib/observability/metrics";
import { acceptRun } from "@/lib/runs/accept-run";
import { RunJobs } from "@/lib/runs/run-jobs";
import { ensureStripeCustomer } from "@/lib/billing/customer";
import { startFakeStripe } from "../fakes/stripe-server";
import { createUser, setWallet } from "../helpers/factories";
import { expectLedgerInvariantsAfterEach } from "../helpers/lifecycle";
import { runToEnd, scannerInput, testExecutor } from "../helpers/run-harness";

// Background jobs on the engine (issue 17 item 5): the registry's jobs on real
// pg-boss engines in this file's schema, several per test as several processes would be.

const fake = await startFakeStripe();
Object.assign(process.env, { STRIPE_SECRET_KEY: "sk_test_agora_fake", STRIPE_WEBHOOK_SECRET: fake.webhookSecret, STRIPE_API_BASE: fake.url, AGORA_OUTBOX_INTERVAL_MS: "200" });
const db = getDb();
expectLedgerInvariantsAfterEach();

const engines: PgBoss[] = [];
afterEach(async () => {
  await Promise.all(engines.splice(0).map((b) => b.stop({ graceful: true, timeout: 2_000 })));
});
afterAll(() => fake.close());

/** An engine as a worker process starts one, running `jobs`. */
async function engine(name: string, jobs: BackgroundJob[]): Promise<PgBoss> {
  const e = env();
  const boss = createBoss({ connectionString: e.DATABASE_URL, schema: e.AGORA_JOBS_SCHEMA, instanceName: name, superviseSeconds: e.AGORA_JOB_SUPERVISE_SECONDS, cronSeconds: e.AGORA_JOB_CRON_SECONDS });
  engines.push(boss);
  await boss.start();
  await startBackgroundJobs(boss, { db, runs: new RunJobs(boss) }, jobs);
  return boss;
}
const registered = (name: string) => BACKGROUND_JOBS.filter((j) => j.name === name);

describe("scheduled jobs", () => {
  it("two engines scheduling and working the same job run each occurrence exactly once", async () => {
    const ran: { engine: string; minute: number }[] = [];
    const job = (engine: string): BackgroundJob => ({ name: "test.tick", what: "counts", cron: "* * * * *", queue: { retryLimit: 0 }, run: async () => void ran.push({ engine, minute: Math.floor(Date.now() / 60_000) }) });
    const started = Date.now();
    await engine("a", [job("a")]);
    await engine("b", [job("b")]);
    // The current minute's occurrence, then the next minute's (pg-boss schedules have minute resolution).
    await vi.waitFor(() => expect(new Set(ran.map((r) => r.minute)).size).toBe(2), { timeout: 80_000, interval: 200 });
    const second = Date.now();
    // Both engines keep passing over the occurrence for as long as it is due: wait for 3 more cron passes.
    const cronOn = async () => (await db.$queryRawUnsafe<{ t: Date }[]>(`SELECT cron_on AS t FROM ${env().AGORA_JOBS_SCHEMA}.version`))[0]!.t.getTime();
    await vi.waitFor(async () => expect(await cronOn()).toBeGreaterThan(second + 3_000), { timeout: 15_000, interval: 200 });
    console.log(`two occurrences seen after ${((second - started) / 1000).toFixed(1)} s; runs: ${ran.map((r) => r.engine).join(",")}`);
    expect(ran).toHaveLength(2);
    expect(ran[0]!.minute).not.toBe(ran[1]!.minute);
  }, 100_000);

  it("a handler that throws counts in the job failures metric", async () => {
    const before = (await metrics().jobFailures.get()).values.find((v) => v.labels.queue === "test.fails")?.value ?? 0;
    await engine("a", [{ name: "test.fails", what: "throws", cron: "* * * * *", queue: { retryLimit: 0 }, run: () => Promise.reject(new Error("boom")) }]);
    await vi.waitFor(async () => expect((await metrics().jobFailures.get()).values.find((v) => v.labels.queue === "test.fails")?.value).toBe(before + 1), { timeout: 15_000, interval: 100 });
  });
});

describe("holds.expire", () => {
  it("an abandoned run's hold past its expiry is released with its budget reservation", async () => {
    const owner = await createUser("hold-expire", { tier: "enterprise" });
    await setWallet(owner.workspace.id, 100_000_000n);
    const fee = securityScanner.baseFeeMicros;
    const stalled = testExecutor({ works: false }); // every worker down: the run stays QUEUED, its hold open
    const { run } = await acceptRun(owner.principal, { agent: "security-scanner", input: scannerInput }, { executor: stalled });
    expect((await monthSpend(db, owner.workspace.id, WORKSPACE_SCOPE)).heldMicros).toBe(fee);
    expect((await workspaceBalance(db, owner.workspace.id)).availableMicros).toBe(100_000_000n - fee);
    const hold = await db.transfer.findFirstOrThrow({ where: { runId: run.id, kind: "PENDING" } });
    // A day on (HOLD_LIFETIME_MS): the hold's expiry moved into the past, past the immutability trigger.
    await db.$transaction([db.$executeRaw`SET LOCAL session_replication_role = replica`, db.$executeRaw`UPDATE "Transfer" SET "expiresAt" = now() - interval '1 second' WHERE "id" = ${hold.id}`]);

    await engine("a", registered("holds.expire"));
    await engine("b", registered("holds.expire"));
    await vi.waitFor(async () => expect(await db.transfer.count({ where: { pendingId: hold.id } })).toBe(1), { timeout: 15_000, interval: 100 });
    expect((await db.transfer.findFirstOrThrow({ where: { pendingId: hold.id } })).kind).toBe("EXPIRE_PENDING");
    expect(await monthSpend(db, owner.workspace.id, WORKSPACE_SCOPE)).toEqual({ spentMicros: 0n, heldMicros: 0n });
    expect((await workspaceBalance(db, owner.workspace.id)).availableMicros).toBe(100_000_000n);
  });
});

describe("outbox.drain", () => {
  it("the chain keeps draining the Outbox, faster than the per-minute schedule", async () => {
    const o = await createUser("outbox-chain", { tier: "pro" });
    const customer = await ensureStripeCustomer(o.workspace.id);
    await db.workspace.update({ where: { id: o.workspace.id }, data: { paymentMode: "METERED", monthlySpendCapMicros: 1_000_000n } });
    const executor = testExecutor();
    const sent = () => fake.meterEvents.filter((e) => e.payload.stripe_customer_id === customer).map((e) => e.identifier);

    const first = (await runToEnd(executor, o.principal)).run.id;
    await engine("a", registered("outbox.drain"));
    await engine("b", registered("outbox.drain"));
    await vi.waitFor(() => expect(sent()).toEqual([first]), { timeout: 15_000, interval: 50 });
    // A row written after the schedule's occurrence is sent by a later link of the chain, well within the minute.
    const second = (await runToEnd(executor, o.principal)).run.id;
    const pending = Date.now();
    await vi.waitFor(() => expect(sent().sort()).toEqual([first, second].sort()), { timeout: 15_000, interval: 50 });
    console.log(`second meter event sent ${Date.now() - pending} ms after its run settled`);
    // Marked sent once Stripe answered (the fake has the event a moment before the row is updated).
    await vi.waitFor(async () => expect(await db.outbox.count({ where: { workspaceId: o.workspace.id, sentAt: null } })).toBe(0), { timeout: 15_000, interval: 50 });
  });
});
