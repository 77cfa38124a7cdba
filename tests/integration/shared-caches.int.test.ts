import { randomUUID } from "node:crypto";
import pg from "pg";
import { afterAll, describe, expect, it, vi } from "vitest";
import { adminUpdatePackage, adminUpdateModelPrice, adminUpdateTier } from "@/lib/admin/catalog-admin";
import { adminUpdateUser } from "@/lib/admin/users";
import { adminRevokeKey, adminUpdateWorkspace } from "@/lib/admin/workspaces";
import { latestPublishedPackage } from "@/lib/agents/published-packages";
import { createApiKey, revokeApiKey, updateApiKey } from "@/lib/api-keys/api-keys";
import { processEvent } from "@/lib/billing/webhooks/process-event";
import { forgetPrincipals, principalFromApiKey, principalFromUser, type Principal } from "@/lib/auth/principal";
import { CacheGroup } from "@/lib/cache/shared-cache";
import { getDb } from "@/lib/db/client";
import { forgetPriceList, modelPrice } from "@/lib/llm/price-list";
import { RunNotifications } from "@/lib/runs/run-notifications";
import { createUser } from "../helpers/factories";
import { startRedis } from "../helpers/redis-server";

// Key → principal, a slug's package and the price list are cached per process
// (lib/cache/shared-cache.ts). This process's caches stand for the writer's
// instance: a change must show on its very next read. A second CacheGroup on its
// own listening connection stands for another instance: it must see the change
// once the signal arrived (waited for, never slept on).

const db = getDb();
const waitFor = (assertion: () => Promise<void>) => vi.waitFor(assertion, { timeout: 10_000, interval: 20 });
const listeners: RunNotifications[] = [];
afterAll(() => Promise.all(listeners.map((n) => n.close())));

function otherInstance(opts: { now?: () => number; name?: string } = {}) {
  const url = new URL(process.env.DATABASE_URL!);
  if (opts.name) url.searchParams.set("application_name", opts.name);
  const notifications = new RunNotifications({ databaseUrl: url.toString() });
  listeners.push(notifications);
  return new CacheGroup(() => notifications, opts.now);
}

async function keyOwner(label: string) {
  const { user, workspace } = await createUser(label);
  const owner = await principalFromUser(user.id);
  const key = await createApiKey(owner, { name: label, requestsPerMinute: null, runsPerHour: null });
  const other = otherInstance();
  const here = await principalFromApiKey(key.secret);
  const there = await principalFromApiKey(key.secret, other);
  expect(there).toEqual(here);
  return { user, workspace, owner, key, other, admin: owner as Extract<Principal, { kind: "user" }> };
}

const refused = (p: Promise<Principal>) => expect(p).rejects.toMatchObject({ code: "unauthenticated" });

describe("cached API-key principals", () => {
  it("are served from memory until invalidated: a direct write without an invalidation is not seen", async () => {
    const { key } = await keyOwner("cache-hit");
    await db.apiKey.update({ where: { id: key.id }, data: { requestsPerMinute: 3 } });
    expect(await principalFromApiKey(key.secret)).toMatchObject({ keyLimits: { requestsPerMinute: null } });
  });

  it("a revoked key is refused on the very next request here, and on another instance after the signal", async () => {
    const { key, other, owner } = await keyOwner("cache-revoke");
    await revokeApiKey(owner, key.id);
    await refused(principalFromApiKey(key.secret));
    await waitFor(() => refused(principalFromApiKey(key.secret, other)));
  });

  it("an admin's revoke too", async () => {
    const { key, other, workspace, admin } = await keyOwner("cache-admin-revoke");
    await adminRevokeKey(admin, workspace.id, key.id, null);
    await refused(principalFromApiKey(key.secret));
    await waitFor(() => refused(principalFromApiKey(key.secret, other)));
  });

  it("a key's limit edit", async () => {
    const { key, other, owner } = await keyOwner("cache-key-limits");
    await updateApiKey(owner, key.id, { requestsPerMinute: 7 });
    expect(await principalFromApiKey(key.secret)).toMatchObject({ keyLimits: { requestsPerMinute: 7 } });
    await waitFor(async () => expect(await principalFromApiKey(key.secret, other)).toMatchObject({ keyLimits: { requestsPerMinute: 7 } }));
  });

  it("a workspace's tier change", async () => {
    const { key, other, workspace, admin } = await keyOwner("cache-tier-change");
    await adminUpdateWorkspace(admin, workspace.id, { tierCode: "pro" }, null);
    const pro = await db.tier.findUniqueOrThrow({ where: { code: "pro" } });
    const expected = { workspace: { tierCode: "pro", priceMultiplierBps: pro.priceMultiplierBps, limits: { concurrentRuns: pro.concurrentRuns } } };
    expect(await principalFromApiKey(key.secret)).toMatchObject(expected);
    await waitFor(async () => expect(await principalFromApiKey(key.secret, other)).toMatchObject(expected));
  });

  it("a workspace's suspension", async () => {
    const { key, other, workspace, admin } = await keyOwner("cache-suspend");
    await adminUpdateWorkspace(admin, workspace.id, { suspend: { reason: "abuse" } }, null);
    expect(await principalFromApiKey(key.secret)).toMatchObject({ workspace: { suspended: true } });
    await waitFor(async () => expect(await principalFromApiKey(key.secret, other)).toMatchObject({ workspace: { suspended: true } }));
  });

  it("an admin's edit of the tier's limits", async () => {
    const code = `ct-${randomUUID().slice(0, 8)}`;
    await db.tier.create({ data: { code, name: code, sortOrder: 1_000, requestsPerMinute: 10, runsPerHour: 10, concurrentRuns: 1, tokensPerDay: 1_000n, priceMultiplierBps: 10_000 } });
    const { key, other, workspace, admin } = await keyOwner("cache-tier-limits");
    await db.workspace.update({ where: { id: workspace.id }, data: { tierCode: code } });
    await forgetPrincipals({ workspaceId: workspace.id }); // the direct write above, as a writer would
    await waitFor(async () => expect(await principalFromApiKey(key.secret, other)).toMatchObject({ workspace: { tierCode: code } }));
    expect(await principalFromApiKey(key.secret)).toMatchObject({ workspace: { tierCode: code } });

    await adminUpdateTier(admin, code, { concurrentRuns: 4, priceMultiplierBps: 12_000 }, null);
    const expected = { workspace: { priceMultiplierBps: 12_000, limits: { concurrentRuns: 4 } } };
    expect(await principalFromApiKey(key.secret)).toMatchObject(expected);
    await waitFor(async () => expect(await principalFromApiKey(key.secret, other)).toMatchObject(expected));
  });

  it("a workspace's failed invoice (Stripe webhook): past due", async () => {
    const { key, other, workspace } = await keyOwner("cache-past-due");
    const customer = `cus_cache_${randomUUID().slice(0, 8)}`;
    await db.workspace.update({ where: { id: workspace.id }, data: { stripeCustomerId: customer } }); // not a principal field
    const created = Math.floor(Date.now() / 1000);
    const event = { id: `evt_${randomUUID()}`, type: "invoice.payment_failed", created, data: { object: { id: `in_${randomUUID()}`, customer, amount_due: 100 } } };
    expect(await processEvent(event as unknown as Parameters<typeof processEvent>[0])).toBe("processed");
    const expected = { workspace: { pastDueSince: new Date(created * 1000) } };
    expect(await principalFromApiKey(key.secret)).toMatchObject(expected);
    await waitFor(async () => expect(await principalFromApiKey(key.secret, other)).toMatchObject(expected));
  });

  it("the key creator's account disabled by an admin", async () => {
    const { key, other, user } = await keyOwner("cache-user-disabled");
    const { user: adminUser } = await createUser("cache-admin");
    const admin = (await principalFromUser(adminUser.id)) as Extract<Principal, { kind: "user" }>;
    await adminUpdateUser(admin, user.id, { disabled: true }, null);
    await expect(principalFromApiKey(key.secret)).rejects.toMatchObject({ message: expect.stringContaining("disabled account") });
    await waitFor(() => refused(principalFromApiKey(key.secret, other)));
  });
});

describe("cached published packages and prices", () => {
  it("an admin's package edit (price, then suspension)", async () => {
    const slug = `cache-pkg-${randomUUID().slice(0, 8)}`;
    const base = await db.agentPackage.findFirstOrThrow({ where: { status: "PUBLISHED" } });
    const { id: _id, createdAt: _c, updatedAt: _u, searchVector: _s, inputSchema, outputSchema, exampleInput, manifest: _m, agentCard: _a, bidPolicy: _b, ...rest } = base as typeof base & { searchVector?: unknown };
    const pkg = await db.agentPackage.create({ data: { ...rest, slug, inputSchema: inputSchema as object, outputSchema: outputSchema as object, exampleInput: exampleInput as object } });
    const other = otherInstance();
    expect(await latestPublishedPackage(slug)).toMatchObject({ id: pkg.id });
    expect(await latestPublishedPackage(slug, other)).toMatchObject({ id: pkg.id });
    const { user } = await createUser("cache-pkg-admin");
    const admin = (await principalFromUser(user.id)) as Extract<Principal, { kind: "user" }>;

    await adminUpdatePackage(admin, pkg.id, { baseFeeMicros: 4_321 }, null);
    expect(await latestPublishedPackage(slug)).toMatchObject({ baseFeeMicros: 4_321n });
    await waitFor(async () => expect(await latestPublishedPackage(slug, other)).toMatchObject({ baseFeeMicros: 4_321n }));

    await adminUpdatePackage(admin, pkg.id, { status: "SUSPENDED", suspendedReason: "test" }, null);
    expect(await latestPublishedPackage(slug)).toBeNull();
    await waitFor(async () => expect(await latestPublishedPackage(slug, other)).toBeNull());
  });

  it("an admin's price edit", async () => {
    const model = `cache-model-${randomUUID().slice(0, 8)}`;
    await db.modelPrice.create({ data: { model, displayName: model, inputMicrosPerMTok: 1n, outputMicrosPerMTok: 2n, cacheWriteMicrosPerMTok: 3n, cacheReadMicrosPerMTok: 4n } });
    await forgetPriceList(); // the direct insert above, as a writer would
    const other = otherInstance();
    await waitFor(async () => expect(await modelPrice(db, model, other)).toMatchObject({ inputMicrosPerMTok: 1n }));
    expect(await modelPrice(db, model)).toMatchObject({ inputMicrosPerMTok: 1n });
    const { user } = await createUser("cache-price-admin");
    const admin = (await principalFromUser(user.id)) as Extract<Principal, { kind: "user" }>;

    await adminUpdateModelPrice(admin, model, { inputMicrosPerMTok: 99 }, null);
    expect(await modelPrice(db, model)).toMatchObject({ inputMicrosPerMTok: 99n });
    await waitFor(async () => expect(await modelPrice(db, model, other)).toMatchObject({ inputMicrosPerMTok: 99n }));
  });
});

describe("the cache itself", () => {
  it("serves an entry for at most its TTL", async () => {
    let now = 1_000_000;
    const cache = otherInstance({ now: () => now }).cache<number>("ttl-probe", { ttlMs: 60_000, maxEntries: 10 });
    let loads = 0;
    const load = async () => ++loads;
    expect(await cache.get("k", load)).toBe(1);
    now += 59_999;
    expect(await cache.get("k", load)).toBe(1);
    now += 1;
    expect(await cache.get("k", load)).toBe(2);
  });

  it("with staleMs, serves an expired entry at once while one background load replaces it; past the stale window, or once invalidated, a request waits", async () => {
    let now = 1_000_000;
    const cache = otherInstance({ now: () => now }).cache<number>("stale-probe", { ttlMs: 10_000, maxEntries: 10, staleMs: 60_000 });
    let loads = 0;
    let release!: () => void;
    let gate = Promise.resolve();
    const load = async () => {
      await gate;
      return ++loads;
    };
    expect(await cache.get("k", load)).toBe(1);
    now += 10_000; // expired, within the stale window
    gate = new Promise<void>((r) => (release = r));
    expect(await cache.get("k", load)).toBe(1); // served stale; the reload waits on the gate
    expect(await cache.get("k", load)).toBe(1); // still stale, and no second reload
    release();
    await expect.poll(() => cache.get("k", load)).toBe(2);
    expect(loads).toBe(2);
    now += 10_000 + 60_000; // past the stale window: this request loads
    expect(await cache.get("k", load)).toBe(3);
    cache.drop({ keys: ["k"] });
    expect(await cache.get("k", load)).toBe(4); // invalidated: never served stale
  });

  it("holds at most maxEntries, dropping the least recently used", async () => {
    const cache = otherInstance().cache<string>("lru-probe", { ttlMs: 60_000, maxEntries: 2 });
    const loads: string[] = [];
    const get = (k: string) => cache.get(k, async () => (loads.push(k), k));
    await get("a");
    await get("b");
    await get("a"); // a is now the most recently used
    await get("c"); // evicts b
    await get("a");
    await get("b");
    expect(loads).toEqual(["a", "b", "c", "b"]);
  });

  it("does not store a value loaded while an invalidation arrived", async () => {
    const cache = otherInstance().cache<number>("straddle-probe", { ttlMs: 60_000, maxEntries: 10 });
    let value = 1;
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    let reading = false;
    const first = cache.get("k", async () => {
      const read = value;
      reading = true;
      await gate;
      return read;
    });
    await vi.waitFor(() => expect(reading).toBe(true));
    await cache.invalidate({ keys: ["k"] }); // the writer committed value 2 after the read above
    value = 2;
    release();
    expect(await first).toBe(1);
    expect(await cache.get("k", async () => value)).toBe(2);
  });

  it("with REDIS_URL, invalidates across instances over Redis pub/sub, and drops everything when Redis goes away", async () => {
    const redis = await startRedis();
    const [a, b] = [0, 1].map(() => {
      const notifications = new RunNotifications({ redisUrl: redis.url, databaseUrl: process.env.DATABASE_URL! });
      listeners.push(notifications);
      return new CacheGroup(() => notifications).cache<number>("redis-probe", { ttlMs: 60_000, maxEntries: 10 });
    });
    try {
      let value = 1;
      const load = async () => value;
      expect([await a!.get("k", load), await b!.get("k", load)]).toEqual([1, 1]);
      value = 2;
      await a!.invalidate({ keys: ["k"] });
      expect(await a!.get("k", load)).toBe(2);
      await waitFor(async () => expect(await b!.get("k", load)).toBe(2));
      value = 3; // changed without a signal: only the lost connection tells
      expect(await b!.get("k", load)).toBe(2);
    } finally {
      await redis.stop();
    }
    await waitFor(async () => expect(await b!.get("k", async () => 4)).toBe(4));
  });

  it("drops everything when its listening connection is lost", async () => {
    const name = `cache-lost-${randomUUID().slice(0, 8)}`;
    const cache = otherInstance({ name }).cache<number>("lost-probe", { ttlMs: 60_000, maxEntries: 10 });
    let value = 1;
    expect(await cache.get("k", async () => value)).toBe(1);
    value = 2; // changed without a signal: only the lost connection tells
    expect(await cache.get("k", async () => value)).toBe(1);
    const admin = new pg.Client({ connectionString: process.env.DATABASE_URL });
    await admin.connect();
    try {
      await admin.query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1", [name]);
    } finally {
      await admin.end();
    }
    await waitFor(async () => expect(await cache.get("k", async () => value)).toBe(2));
  });
});
