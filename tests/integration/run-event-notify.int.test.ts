import pg from "pg";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { acceptRun } from "@/lib/runs/accept-run";
import { cancelRun } from "@/lib/runs/cancel-run";
import { EVENTS_CHANNEL, RunNotifications } from "@/lib/runs/run-notifications";
import { createUser, setWallet } from "../helpers/factories";
import { scannerInput, testExecutor } from "../helpers/run-harness";

// On PostgreSQL (no REDIS_URL) a RunEvent insert NOTIFYs only when some
// process streams that run: NOTIFY serialises committing transactions on a
// database-wide lock, and most runs have no reader. A plain client LISTENing
// on the channel sees what PostgreSQL sends; a writer on its own connection
// inserts the events; the readers are RunNotifications instances (as another
// process's), each with its own listening connection.

let owner: Awaited<ReturnType<typeof createUser>>;
let listener: pg.Client;
let writer: pg.Client;
const heard: string[] = [];

beforeAll(async () => {
  owner = await createUser("notify-policy", { tier: "enterprise" });
  await setWallet(owner.workspace.id, 10_000_000n);
  [listener, writer] = [new pg.Client({ connectionString: process.env.DATABASE_URL }), new pg.Client({ connectionString: process.env.DATABASE_URL })];
  await Promise.all([listener.connect(), writer.connect()]);
  listener.on("notification", (n) => heard.push(n.payload ?? ""));
  await listener.query(`LISTEN ${EVENTS_CHANNEL}`);
});
afterAll(async () => {
  await Promise.all([listener.end(), writer.end()]);
});

/** A run that stays QUEUED, so that only this test writes its events. */
async function queuedRun() {
  const { run } = await acceptRun(owner.principal, { agent: "security-scanner", input: scannerInput }, { executor: testExecutor({ works: false }) });
  return run.id;
}

/** A queued run watched from another process's RunNotifications; the run ends and the instance closes after `body`. */
async function withReaderProcess(body: (runId: string, elsewhere: RunNotifications) => Promise<void>) {
  const runId = await queuedRun();
  const elsewhere = new RunNotifications({ databaseUrl: process.env.DATABASE_URL! });
  try {
    await body(runId, elsewhere);
  } finally {
    await elsewhere.close();
  }
  await cancelRun(owner.workspace.id, runId, testExecutor());
}

const insertEvent = (runId: string) =>
  writer.query(`INSERT INTO "RunEvent" ("runId", "seq", "type", "data") SELECT $1, coalesce(max("seq"), 0) + 1, 'text', '{"text":"x"}' FROM "RunEvent" WHERE "runId" = $1`, [runId]);

/** What PostgreSQL delivered about a run so far: a marker NOTIFY sent now arrives after every earlier commit's. */
async function notificationsAbout(runId: string) {
  const marker = `marker-${runId}-${heard.length}`;
  await writer.query("SELECT pg_notify($1, $2)", [EVENTS_CHANNEL, marker]);
  await vi.waitFor(() => expect(heard).toContain(marker), { timeout: 10_000, interval: 20 });
  return heard.filter((p) => p === runId).length;
}

const listenersOf = async (runId: string) => (await writer.query<{ pid: number }>(`SELECT "pid" FROM "RunEventListener" WHERE "runId" = $1`, [runId])).rows.map((r) => r.pid);

describe("run event NOTIFY only for runs someone streams", () => {
  it("with no reader, inserting a run's events sends no NOTIFY", async () => {
    const runId = await queuedRun();
    for (let i = 0; i < 3; i++) await insertEvent(runId);
    expect(await notificationsAbout(runId)).toBe(0);
    await cancelRun(owner.workspace.id, runId, testExecutor());
    expect(await notificationsAbout(runId)).toBe(0);
  });

  it("a reader in another process is woken by an insert on another connection; once it closes, inserts are silent again", () =>
    withReaderProcess(async (runId, elsewhere) => {
      const subscription = await elsewhere.subscribe(runId);
      expect(await listenersOf(runId)).toHaveLength(1);
      const woken = subscription.next(60_000);
      await insertEvent(runId);
      expect(await woken).toBe(true);
      // Several events in one transaction: one notification.
      await writer.query("BEGIN");
      for (let i = 0; i < 3; i++) await insertEvent(runId);
      await writer.query("COMMIT");
      expect(await notificationsAbout(runId)).toBe(2);
      subscription.close();
      await vi.waitFor(async () => expect(await listenersOf(runId)).toEqual([]), { timeout: 10_000, interval: 20 });
      await insertEvent(runId);
      expect(await notificationsAbout(runId)).toBe(2);
    }));

  it("a reader that registers while the writer's transaction is open is woken at its commit", () =>
    withReaderProcess(async (runId, elsewhere) => {
      await writer.query("BEGIN");
      await insertEvent(runId);
      const subscription = await elsewhere.subscribe(runId);
      const woken = subscription.next(60_000);
      await writer.query("COMMIT");
      expect(await woken).toBe(true);
      subscription.close();
    }));

  it("streams opening and closing at once register one statement at a time on the listening connection (pg no longer queues one behind another)", async () => {
    const elsewhere = new RunNotifications({ databaseUrl: process.env.DATABASE_URL! });
    const queued: number[] = [];
    const query = pg.Client.prototype.query;
    vi.spyOn(pg.Client.prototype, "query").mockImplementation(function (this: pg.Client, ...args: unknown[]) {
      const text = typeof args[0] === "string" ? args[0] : (args[0] as { text?: string }).text;
      if (text?.includes('"RunEventListener"')) queued.push((this as unknown as { _queryQueue: unknown[] })._queryQueue.length);
      return (query as (...a: unknown[]) => unknown).apply(this, args);
    } as typeof query);
    try {
      const runIds = Array.from({ length: 20 }, (_, i) => `concurrent-${i}-${Date.now()}`);
      const subscriptions = await Promise.all(runIds.map((id) => elsewhere.subscribe(id)));
      for (const s of subscriptions) s.close();
      await vi.waitFor(async () => expect((await writer.query(`SELECT 1 FROM "RunEventListener" WHERE "runId" = ANY($1)`, [runIds])).rowCount).toBe(0), { timeout: 10_000 });
    } finally {
      vi.restoreAllMocks();
      await elsewhere.close();
    }
    expect(queued.length).toBeGreaterThanOrEqual(40); // a registration and a removal per stream
    expect(Math.max(...queued)).toBe(0);
  });

  it("two streams of one run in a process share one registration, held until the last closes", () =>
    withReaderProcess(async (runId, elsewhere) => {
      const [a, b] = [await elsewhere.subscribe(runId), await elsewhere.subscribe(runId)];
      expect(await listenersOf(runId)).toHaveLength(1);
      a.close();
      const woken = b.next(60_000);
      await insertEvent(runId);
      expect(await woken).toBe(true);
      b.close();
      await vi.waitFor(async () => expect(await listenersOf(runId)).toEqual([]), { timeout: 10_000, interval: 20 });
    }));

  it("a listener whose connection died leaves rows that the next listener to start deletes; a reconnect registers its streams again", async () => {
    const runId = await queuedRun();
    const first = new RunNotifications({ databaseUrl: process.env.DATABASE_URL! });
    const second = new RunNotifications({ databaseUrl: process.env.DATABASE_URL! });
    try {
      const subscription = await first.subscribe(runId);
      const [deadPid] = await listenersOf(runId);
      const woken = subscription.next(60_000);
      await writer.query("SELECT pg_terminate_backend($1)", [deadPid]);
      expect(await woken).toBe(true); // a lost connection wakes every stream: they re-read the database
      (await second.subscribe("another-run")).close(); // a listener starting elsewhere
      await vi.waitFor(async () => expect(await listenersOf(runId)).toEqual([]), { timeout: 10_000, interval: 20 });
      // The first process connects again at its next subscription, and registers the stream it still has.
      (await first.subscribe("yet-another-run")).close();
      const [again] = await listenersOf(runId);
      expect(again).toBeDefined();
      expect(again).not.toBe(deadPid);
      const wokenAgain = subscription.next(60_000);
      await insertEvent(runId);
      expect(await wokenAgain).toBe(true);
      subscription.close();
    } finally {
      await Promise.all([first.close(), second.close()]);
    }
    await cancelRun(owner.workspace.id, runId, testExecutor());
  });
});
