import pg from "pg";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createApiKey } from "@/lib/api-keys/api-keys";
import { getDb } from "@/lib/db/client";
import { env } from "@/lib/env";
import { WORKSPACE_EVENTS_CHANNEL } from "@/lib/runs/run-notifications";
import { createUser } from "../helpers/factories";
import { startRedis } from "../helpers/redis-server";
import { openEventStream } from "../helpers/sse";

// With REDIS_URL set, the workspace's live stream still delivers every event (it re-reads the feed on
// its short timer: nothing signals workspace events over Redis), and the sequencer sends no NOTIFY.

let redis: Awaited<ReturnType<typeof startRedis>>;
let listener: pg.Client;
const heard: string[] = [];

beforeAll(async () => {
  redis = await startRedis();
  process.env.REDIS_URL = redis.url;
  expect(env().REDIS_URL).toBe(redis.url);
  listener = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await listener.connect();
  listener.on("notification", (n) => heard.push(n.payload ?? ""));
  await listener.query(`LISTEN ${WORKSPACE_EVENTS_CHANNEL}`);
});
afterAll(async () => {
  await listener.end();
  await redis.stop();
});

describe("the event stream with REDIS_URL set", () => {
  it("delivers events committed while connected, and no NOTIFY is sent", async () => {
    const owner = await createUser("stream-redis");
    const { secret } = await createApiKey(owner.principal, { name: "stream" });
    const stream = await openEventStream(secret);
    try {
      expect(stream.res.status).toBe(200);
      await getDb().$executeRaw`SELECT agora_emit_event(${owner.workspace.id}, 'balance.changed', '{"mark":"redis"}'::jsonb)`;
      await vi.waitFor(() => expect(stream.events.map((e) => e.data.mark)).toContain("redis"), { timeout: 20_000, interval: 20 });
      const marker = `marker-${owner.workspace.id}`;
      await getDb().$executeRaw`SELECT pg_notify(${WORKSPACE_EVENTS_CHANNEL}, ${marker})`;
      await vi.waitFor(() => expect(heard).toContain(marker), { timeout: 10_000, interval: 20 });
      expect(heard.filter((p) => p === owner.workspace.id)).toEqual([]);
    } finally {
      await stream.close();
    }
  });
});
