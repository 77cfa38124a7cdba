import pg from "pg";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { createApiKey } from "@/lib/api-keys/api-keys";
import { getDb } from "@/lib/db/client";
import { env } from "@/lib/env";
import { lastEventSeq } from "@/lib/events/feed";
import { RunNotifications, WORKSPACE_EVENTS_CHANNEL } from "@/lib/runs/run-notifications";
import { createUser } from "../helpers/factories";
import { openEventStream as openStream } from "../helpers/sse";

// GET /api/v1/events/stream (issue 22, item 2): the workspace's feed as Server-Sent Events, resumed
// after Last-Event-ID / ?after=, then live (woken by the sequencer's NOTIFY), capped per key/workspace.

const db = getDb();
const saved = { ...env() };
afterEach(() => Object.assign(env(), { AGORA_MAX_STREAMS_PER_KEY: saved.AGORA_MAX_STREAMS_PER_KEY, AGORA_MAX_STREAMS_PER_WORKSPACE: saved.AGORA_MAX_STREAMS_PER_WORKSPACE }));

/** Commits `n` events to the workspace, in one transaction, each with a `mark` to recognise it. */
const emit = (workspaceId: string, n: number, mark: string) =>
  db.$executeRaw`SELECT agora_emit_event(${workspaceId}, 'balance.changed', jsonb_build_object('mark', ${mark}::text, 'i', i)) FROM generate_series(1, ${n}) i`;

async function member(label: string) {
  const owner = await createUser(label);
  const { secret } = await createApiKey(owner.principal, { name: "stream" });
  return { owner, secret, workspaceId: owner.workspace.id };
}

describe("GET /api/v1/events/stream", () => {
  it("resumes after Last-Event-ID with exactly the missed events, then live ones in seq order; another workspace's never arrive", async () => {
    const a = await member("stream-resume");
    const b = await member("stream-other");
    await emit(a.workspaceId, 5, "before");
    const base = await lastEventSeq(a.workspaceId); // sign-up's own events and these 5
    const stream = await openStream(a.secret, { lastEventId: String(base - 3), query: "?after=1" }); // the header wins over ?after
    try {
      expect(stream.res.status).toBe(200);
      expect(stream.res.headers.get("content-type")).toMatch(/^text\/event-stream/);
      await vi.waitFor(() => expect(stream.events).toHaveLength(3), { timeout: 20_000, interval: 20 });
      expect(stream.events.map((e) => [e.seq, e.data.mark, e.data.i])).toEqual([[base - 2, "before", 3], [base - 1, "before", 4], [base, "before", 5]]);

      // Committed while connected (another workspace's at the same time): only ours arrive, once each, in order.
      await Promise.all([emit(b.workspaceId, 4, "other"), emit(a.workspaceId, 2, "live"), emit(b.workspaceId, 1, "other")]);
      await emit(a.workspaceId, 1, "live-2");
      await vi.waitFor(() => expect(stream.events).toHaveLength(6), { timeout: 20_000, interval: 20 });
      expect(stream.events.map((e) => e.seq)).toEqual([base - 2, base - 1, base, base + 1, base + 2, base + 3]);
      expect(stream.events.slice(3).map((e) => e.data.mark)).toEqual(["live", "live", "live-2"]);
      expect(stream.events.every((e) => e.data.mark !== "other")).toBe(true);
      // The SSE framing: a retry hint first, then `id:` = seq and `event:` = type.
      expect(stream.frames[0]).toEqual({ retry: "3000" });
      expect(stream.frames.filter((f) => f.data).map((f) => [f.id, f.event])).toEqual(stream.events.map((e) => [String(e.seq), "balance.changed"]));
    } finally {
      await stream.close();
    }
  });

  it("?after= resumes too, and ?types= filters", async () => {
    const a = await member("stream-types");
    const base = await lastEventSeq(a.workspaceId);
    await db.$executeRaw`SELECT agora_emit_event(${a.workspaceId}, 'topup.succeeded', '{"mark":"t1"}'::jsonb)`;
    await emit(a.workspaceId, 2, "balance");
    const stream = await openStream(a.secret, { query: `?after=${base}&types=topup.*` });
    try {
      await db.$executeRaw`SELECT agora_emit_event(${a.workspaceId}, 'topup.succeeded', '{"mark":"t2"}'::jsonb)`;
      await vi.waitFor(() => expect(stream.events.map((e) => e.data.mark)).toEqual(["t1", "t2"]), { timeout: 20_000, interval: 20 });
      expect(stream.events.map((e) => e.seq)).toEqual([base + 1, base + 4]);
    } finally {
      await stream.close();
    }
  });

  it("refuses a bad Last-Event-ID, ?after= or ?types= with a 400", async () => {
    const a = await member("stream-bad");
    for (const opts of [{ lastEventId: "abc" }, { lastEventId: "-1" }, { lastEventId: "1.5" }, { query: "?after=x" }, { query: "?after=-3" }, { query: "?types=nope.*" }]) {
      const stream = await openStream(a.secret, opts);
      expect(stream.res.status, JSON.stringify(opts)).toBe(400);
      const body = (await stream.res.json()) as { error: { code: string; message: string } };
      expect(body.error.code).toBe("validation_failed");
    }
  });

  it("registers the workspace for the sequencer's NOTIFY while streaming (an event wakes it), and unregisters on close", async () => {
    const a = await member("stream-notify");
    const listenersOf = async () => db.workspaceEventListener.count({ where: { workspaceId: a.workspaceId } });
    expect(await listenersOf()).toBe(0);
    const stream = await openStream(a.secret);
    try {
      await vi.waitFor(async () => expect(await listenersOf()).toBe(1), { timeout: 20_000, interval: 20 });
      await emit(a.workspaceId, 1, "woken");
      await vi.waitFor(() => expect(stream.events.map((e) => e.data.mark)).toContain("woken"), { timeout: 20_000, interval: 20 });
    } finally {
      await stream.close();
    }
    await vi.waitFor(async () => expect(await listenersOf()).toBe(0), { timeout: 20_000, interval: 20 });
  });

  it("refuses a stream beyond the cap with 429, and a closed one frees its slot", async () => {
    Object.assign(env(), { AGORA_MAX_STREAMS_PER_KEY: 1, AGORA_MAX_STREAMS_PER_WORKSPACE: 2 });
    const a = await member("stream-cap");
    const { secret: second } = await createApiKey(a.owner.principal, { name: "second" });
    const { secret: third } = await createApiKey(a.owner.principal, { name: "third" });
    const first = await openStream(a.secret);
    let other: Awaited<ReturnType<typeof openStream>> | undefined;
    try {
      expect(first.res.status).toBe(200);
      const byKey = await openStream(a.secret);
      expect(byKey.res.status).toBe(429);
      expect(((await byKey.res.json()) as { error: { code: string; message: string } }).error).toMatchObject({ code: "rate_limited", message: expect.stringMatching(/^This API key already has 1 live event streams open/) });
      other = await openStream(second);
      expect(other.res.status).toBe(200);
      const byWorkspace = await openStream(third);
      expect(byWorkspace.res.status).toBe(429);
      expect(((await byWorkspace.res.json()) as { error: { message: string } }).error.message).toMatch(/^This workspace already has 2 live event streams open/);
      await first.close();
      await vi.waitFor(async () => {
        const again = await openStream(third);
        await again.close();
        expect(again.res.status).toBe(200);
      }, { timeout: 20_000, interval: 100 });
    } finally {
      await Promise.all([first.close(), other?.close()]);
    }
  });
});

describe("the sequencer's NOTIFY", () => {
  let listener: pg.Client;
  const heard: string[] = [];
  beforeAll(async () => {
    listener = new pg.Client({ connectionString: process.env.DATABASE_URL });
    await listener.connect();
    listener.on("notification", (n) => heard.push(n.payload ?? ""));
    await listener.query(`LISTEN ${WORKSPACE_EVENTS_CHANNEL}`);
  });
  afterAll(() => listener.end());

  /** What PostgreSQL delivered about a workspace so far (a marker sent now arrives after every earlier commit's). */
  async function notificationsAbout(workspaceId: string) {
    const marker = `marker-${workspaceId}-${heard.length}`;
    await db.$executeRaw`SELECT pg_notify(${WORKSPACE_EVENTS_CHANNEL}, ${marker})`;
    await vi.waitFor(() => expect(heard).toContain(marker), { timeout: 10_000, interval: 20 });
    return heard.filter((p) => p === workspaceId).length;
  }

  it("is sent at commit only for a workspace some process streams, once per transaction", async () => {
    const a = await member("notify-ws");
    await emit(a.workspaceId, 2, "unwatched");
    expect(await notificationsAbout(a.workspaceId)).toBe(0);
    const elsewhere = new RunNotifications({ databaseUrl: process.env.DATABASE_URL! }); // another process's listener
    try {
      const subscription = await elsewhere.subscribeWorkspace(a.workspaceId);
      const woken = subscription.next(60_000);
      await emit(a.workspaceId, 3, "watched");
      expect(await woken).toBe(true);
      expect(await notificationsAbout(a.workspaceId)).toBe(1);
      subscription.close();
      await vi.waitFor(async () => expect(await db.workspaceEventListener.count({ where: { workspaceId: a.workspaceId } })).toBe(0), { timeout: 10_000, interval: 20 });
      await emit(a.workspaceId, 1, "unwatched-again");
      expect(await notificationsAbout(a.workspaceId)).toBe(1);
    } finally {
      await elsewhere.close();
    }
  });
});
