import pg from "pg";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { getDb } from "@/lib/db/client";
import { sql } from "@/lib/db/sql";
import { env } from "@/lib/env";
import { acceptRun } from "@/lib/runs/accept-run";
import { cancelRun } from "@/lib/runs/cancel-run";
import { RunEventLog } from "@/lib/runs/run-event-log";
import { CANCEL_CHANNEL, EVENTS_CHANNEL, RunNotifications, runNotifications } from "@/lib/runs/run-notifications";
import { startFakeAnthropic, type FakeAnthropic } from "../fakes/anthropic-server";
import { killAppProcesses, startAppProcess } from "../helpers/app-process";
import { createUser } from "../helpers/factories";
import { startRedis } from "../helpers/redis-server";
import { scannerAnswer, scannerInput, testExecutor } from "../helpers/run-harness";
import { readRunStream } from "../helpers/sse";

// With REDIS_URL set, run-event signals and cancels go through Redis pub/sub —
// in this process and in a second one (tests/helpers/run-process.ts) that
// executes the runs — and the RunEvent trigger sends no NOTIFY. A PostgreSQL
// client LISTENing on both channels checks that nothing went that way.

let redis: Awaited<ReturnType<typeof startRedis>>;
let fake: FakeAnthropic;
let user: Awaited<ReturnType<typeof createUser>>;
let listener: pg.Client;
const pgNotifications: { channel: string; payload: string }[] = [];

beforeAll(async () => {
  redis = await startRedis();
  process.env.REDIS_URL = redis.url; // before anything here reads env(); the app processes inherit it
  expect(env().REDIS_URL).toBe(redis.url);
  fake = await startFakeAnthropic();
  user = await createUser("redis-signals");
  listener = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await listener.connect();
  listener.on("notification", (n) => pgNotifications.push({ channel: n.channel, payload: n.payload ?? "" }));
  await listener.query(`LISTEN ${EVENTS_CHANNEL}; LISTEN ${CANCEL_CHANNEL}`);
});
afterAll(async () => {
  killAppProcesses();
  await listener.end();
  await runNotifications().close();
  await fake.close();
  await redis.stop();
});

/** What PostgreSQL delivered about a run: a marker NOTIFY sent now arrives after every earlier one (commit order). */
async function pgNotificationsAbout(runId: string) {
  const marker = `marker-${runId}`;
  await listener.query("SELECT pg_notify($1, $2)", [EVENTS_CHANNEL, marker]);
  await vi.waitFor(() => expect(pgNotifications.some((n) => n.payload === marker)).toBe(true), { timeout: 10_000, interval: 20 });
  return pgNotifications.filter((n) => n.payload === runId);
}

describe("run signals over Redis (REDIS_URL set)", () => {
  it("the app's connections switch the RunEvent trigger's NOTIFY off", async () => {
    const [row] = await getDb().$queryRaw<{ setting: string }[]>`SELECT current_setting('agora.notify_run_events', true) AS setting`;
    expect(row!.setting).toBe("off");
  });

  it("streams live, over SSE in this process, a run another process executes; PostgreSQL sends no NOTIFY for it", async () => {
    fake.script({ kind: "message", blocks: [{ type: "text", text: scannerAnswer() }], delayMs: 40 });
    const a = startAppProcess(["accept", user.user.id, fake.url], { REDIS_URL: redis.url });
    const id = await a.firstLine();
    const { events, statusesAtText } = await readRunStream(id, user.user.id);
    expect(await a.exited, a.stderr()).toBe(0);
    expect(events.at(-1)!.event).toBe("usage");
    expect(events.filter((e) => e.event === "text").length).toBeGreaterThan(1);
    expect(statusesAtText).toContain("RUNNING");
    expect(await pgNotificationsAbout(id)).toEqual([]);
  });

  it("a cancel from this process stops a run executing in another; its closing events wake this process's subscribers", async () => {
    fake.script({ kind: "stall", blocks: [{ type: "text", text: "working on it" }] });
    // A lease this long is not renewed within the test: only the signal can deliver the cancel.
    const a = startAppProcess(["accept", user.user.id, fake.url], { REDIS_URL: redis.url, AGORA_RUN_LEASE_MS: "600000" });
    const id = await a.firstLine();
    await vi.waitFor(async () => expect(await getDb().runEvent.count({ where: { runId: id, type: "text" } })).toBeGreaterThan(0), { timeout: 20_000, interval: 20 });
    const subscription = await runNotifications().subscribe(id);
    try {
      await cancelRun(user.workspace.id, id, testExecutor()); // not running here: a signal to the other process
      expect(await subscription.next(60_000)).toBe(true); // woken by a signal, not by the timeout
      expect(await a.exited, a.stderr()).toBe(0);
    } finally {
      subscription.close();
    }
    const run = await getDb().run.findUniqueOrThrow({ where: { id } });
    expect(run.status).toBe("CANCELED");
    expect(run.errorCode).toBe("canceled");
    expect(await pgNotificationsAbout(id)).toEqual([]);
  });

  it("each batch of events the executor writes wakes the run's subscribers in every process", async () => {
    const { run } = await acceptRun(user.principal, { agent: "security-scanner", input: scannerInput }, { executor: testExecutor({ works: false }) }); // stays QUEUED
    const elsewhere = new RunNotifications({ redisUrl: redis.url, databaseUrl: process.env.DATABASE_URL! }); // another process's
    try {
      const subscription = await elsewhere.subscribe(run.id);
      const events = new RunEventLog(sql, run.id, 1);
      events.appendText("working on it"); // written within 100 ms, by the log's own timer
      expect(await subscription.next(60_000)).toBe(true);
      await events.close();
      subscription.close();
    } finally {
      await elsewhere.close();
    }
    expect(await getDb().runEvent.count({ where: { runId: run.id, type: "text" } })).toBe(1);
    expect(await pgNotificationsAbout(run.id)).toEqual([]);
    await cancelRun(user.workspace.id, run.id, testExecutor());
  });

  it("a lost Redis connection wakes every waiting stream at once (they re-read the database)", async () => {
    const other = await startRedis();
    const notifications = new RunNotifications({ redisUrl: other.url, databaseUrl: process.env.DATABASE_URL! });
    try {
      const subscription = await notifications.subscribe("any-run");
      const woken = subscription.next(60_000);
      await other.stop();
      expect(await woken).toBe(true);
      subscription.close();
    } finally {
      await notifications.close();
      await other.stop();
    }
  });
});
