import { afterAll, describe, expect, it } from "vitest";
import { GET as rateLimitsRoute } from "@/app/api/v1/rate-limits/route";
import { GET as meRoute } from "@/app/api/v1/me/route";
import { POST as runsRoute } from "@/app/api/v1/runs/route";
import { createApiKey } from "@/lib/api-keys/api-keys";
import { getDb } from "@/lib/db/client";
import { rateLimitClock } from "@/lib/rate-limits/limits";
import { createStore } from "@/lib/rate-limits/store";
import { hit } from "@/lib/rate-limits/sliding-window";
import { cancelRun } from "@/lib/runs/cancel-run";
import { acceptRun } from "@/lib/runs/accept-run";
import { dayOf } from "@/lib/usage/rollup";
import { ApiError } from "@/lib/http/errors";
import { callRoute, sessionCookie } from "../helpers/call-route";
import { createUser, setWallet } from "../helpers/factories";
import { startRedis } from "../helpers/redis-server";
import { scannerInput, testExecutor } from "../helpers/run-harness";
import { randomUUID } from "node:crypto";

// SPEC §5's limits, through the real route wrapper and the PostgreSQL store
// (this process's default), and the sliding window on both stores.

const db = getDb();
const stores: { close(): Promise<void> }[] = [];
afterAll(async () => {
  await Promise.all(stores.map((s) => s.close()));
});

/** Runs `body` with the limits' clock starting at `start` and running at the wall clock's pace. */
async function withClockFrom<T>(start: number, body: () => Promise<T>): Promise<T> {
  const started = Date.now();
  rateLimitClock.now = () => start + (Date.now() - started);
  try {
    return await body();
  } finally {
    rateLimitClock.now = () => Date.now();
  }
}
const MINUTE = 60_000;

const bearer = (secret: string) => ({ authorization: `Bearer ${secret}` });
const headersOf = (h: Headers) => ({ limit: h.get("ratelimit-limit"), remaining: h.get("ratelimit-remaining"), reset: h.get("ratelimit-reset"), retryAfter: h.get("retry-after") });

describe("requests per minute", () => {
  it("a Free workspace's API key gets 10 a minute with RateLimit headers on each, then 429 with Retry-After — on any route", async () => {
    // One second into a minute: the eleven requests below fall in one window, whenever the test runs.
    await withClockFrom(Math.floor(Date.now() / MINUTE) * MINUTE + 1_000, async () => {
      const owner = await createUser("rl-rpm");
      const { secret } = await createApiKey(owner.principal, { name: "k" });
      const remaining: (string | null)[] = [];
      for (let i = 0; i < 10; i++) {
        const res = await callRoute(i % 2 ? meRoute : rateLimitsRoute, { headers: bearer(secret) });
        expect(res.status).toBe(200);
        expect(headersOf(res.headers)).toMatchObject({ limit: "10", retryAfter: null });
        remaining.push(res.headers.get("ratelimit-remaining"));
      }
      expect(remaining).toEqual(["9", "8", "7", "6", "5", "4", "3", "2", "1", "0"]);
      const refused = await callRoute(meRoute, { headers: bearer(secret) });
      expect(refused.status).toBe(429);
      expect(refused.body!.error).toMatchObject({ code: "rate_limited", details: { dimension: "requests_per_minute", limit: 10 } });
      const h = headersOf(refused.headers);
      expect(h).toMatchObject({ limit: "10", remaining: "0" });
      expect(Number(h.retryAfter)).toBeGreaterThanOrEqual(1);
      expect(Number(h.retryAfter)).toBeLessThanOrEqual(66); // the rest of this window, then until 10 × (1 − t/60) ≤ 9
      expect(h.reset).toBe(h.retryAfter);
      // A 404 is counted and carries the headers too; refused requests are not counted.
      const other = await createUser("rl-rpm-other");
      const { secret: otherSecret } = await createApiKey(other.principal, { name: "k" });
      expect(headersOf((await callRoute(meRoute, { headers: bearer(otherSecret) })).headers).remaining).toBe("9");
    });
  });

  it("a key's own override has its own bucket: it is refused at 3 while the workspace's other key goes on", async () => {
    const owner = await createUser("rl-key");
    const tight = await createApiKey(owner.principal, { name: "tight", requestsPerMinute: 3 });
    const loose = await createApiKey(owner.principal, { name: "loose" });
    for (let i = 0; i < 3; i++) expect((await callRoute(meRoute, { headers: bearer(tight.secret) })).status).toBe(200);
    const refused = await callRoute(meRoute, { headers: bearer(tight.secret) });
    expect(refused.status).toBe(429);
    expect(headersOf(refused.headers).limit).toBe("3");
    const ok = await callRoute(meRoute, { headers: bearer(loose.secret) });
    expect(ok.status).toBe(200);
    expect(headersOf(ok.headers)).toMatchObject({ limit: "10", remaining: "6" }); // 3 + this one counted for the workspace, the refused one not
  });

  it("our own pages (a session) have a per-user bucket, with the headers", async () => {
    const owner = await createUser("rl-session");
    const res = await callRoute(meRoute, { headers: { cookie: await sessionCookie(owner.user.id) } });
    expect(res.status).toBe(200);
    expect(headersOf(res.headers)).toMatchObject({ limit: "600", remaining: "599" });
  });
});

describe("runs", () => {
  it("runs/hour: the 11th run of a Free workspace in an hour gets 429; runs refused for money do not count", async () => {
    const owner = await createUser("rl-runs");
    const executor = testExecutor();
    await setWallet(owner.workspace.id, 0n);
    await expect(acceptRun(owner.principal, { agent: "security-scanner", input: scannerInput }, { executor })).rejects.toMatchObject({ code: "insufficient_credits" });
    await setWallet(owner.workspace.id, 1_000_000n);
    for (let i = 0; i < 10; i++) {
      await acceptRun(owner.principal, { agent: "security-scanner", input: scannerInput }, { executor });
      await executor.settled(); // one at a time: Free allows one concurrent run
    }
    const err = await acceptRun(owner.principal, { agent: "security-scanner", input: scannerInput }, { executor }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: "rate_limited", status: 429, message: expect.stringMatching(/^Rate limit reached: 10 runs per hour\. Retry in \d+ s\.$/), details: { dimension: "runs_per_hour", limit: 10 } });
    expect(await db.run.count({ where: { workspaceId: owner.workspace.id } })).toBe(10);
    const status = await callRoute(rateLimitsRoute, { headers: { cookie: await sessionCookie(owner.user.id) } });
    expect(status.body).toMatchObject({ backend: "postgres", tier: "free", limits: { runsPerHour: { limit: 10, used: 10, remaining: 0 }, concurrentRuns: { limit: 1, used: 0 } } });
  });

  it("concurrent runs: of 50 racing runs on Basic (3 at once), exactly 3 are accepted; a canceled one frees its slot", async () => {
    const owner = await createUser("rl-concurrent", { tier: "basic" });
    await setWallet(owner.workspace.id, 10_000_000n);
    const stalled = testExecutor({ works: false }); // accepted runs stay QUEUED
    const outcomes = await Promise.all(Array.from({ length: 50 }, () => acceptRun(owner.principal, { agent: "security-scanner", input: scannerInput }, { executor: stalled }).then((r) => r.run.id, (e: unknown) => e)));
    const accepted = outcomes.filter((o): o is string => typeof o === "string");
    expect(accepted).toHaveLength(3);
    const refused = outcomes.filter((o): o is ApiError => o instanceof ApiError);
    expect(refused).toHaveLength(47);
    expect(refused.every((e) => e.code === "rate_limited" && (e.details as { dimension: string }).dimension === "concurrent_runs")).toBe(true);
    await cancelRun(owner.workspace.id, accepted[0]!, stalled);
    await acceptRun(owner.principal, { agent: "security-scanner", input: scannerInput }, { executor: stalled });
    // Through the API: 429 with Retry-After and the dimension's headers.
    const { secret } = await createApiKey(owner.principal, { name: "k" });
    const res = await callRoute(runsRoute, { method: "POST", headers: bearer(secret), body: JSON.stringify({ agent: "security-scanner", input: scannerInput }) });
    expect(res.status).toBe(429);
    expect(headersOf(res.headers)).toMatchObject({ limit: "3", remaining: "0", retryAfter: "1" });
    for (const id of await db.run.findMany({ where: { workspaceId: owner.workspace.id, status: "QUEUED" }, select: { id: true } })) await cancelRun(owner.workspace.id, id.id, stalled);
  });

  it("a burst beyond the concurrent runs is refused for concurrency, named as such, and does not use up runs/hour", async () => {
    const owner = await createUser("rl-burst"); // Free: 1 at once, 10 an hour
    await setWallet(owner.workspace.id, 10_000_000n);
    const stalled = testExecutor({ works: false });
    const outcomes = await Promise.all(Array.from({ length: 30 }, () => acceptRun(owner.principal, { agent: "security-scanner", input: scannerInput }, { executor: stalled }).then((r) => r.run.id, (e: unknown) => e)));
    const accepted = outcomes.filter((o): o is string => typeof o === "string");
    expect(accepted).toHaveLength(1);
    const refusals = outcomes.filter((o): o is ApiError => o instanceof ApiError).map((e) => `${(e.details as { dimension: string }).dimension}: ${e.message}`);
    // The hour's bucket fills with attempts in flight: most of a burst used to be refused as "10 runs per hour".
    expect(new Set(refusals)).toEqual(new Set(["concurrent_runs: Rate limit reached: 1 run at once on this workspace's tier. Retry when one finishes."]));
    expect(refusals).toHaveLength(29);
    const status = await callRoute(rateLimitsRoute, { headers: { cookie: await sessionCookie(owner.user.id) } });
    expect(status.body).toMatchObject({ limits: { runsPerHour: { limit: 10, used: 1 }, concurrentRuns: { limit: 1, used: 1 } } });
    await cancelRun(owner.workspace.id, accepted[0]!, stalled);
  });

  it("tokens/day: once today's tokens reach the tier's limit, runs get 429 until midnight UTC", async () => {
    const owner = await createUser("rl-tokens");
    // Noon (UTC) of a day of the test's choosing: the row and the check are on the same day, and midnight is 12 h away.
    const noon = Date.UTC(2026, 5, 15, 12);
    await db.usageDaily.create({ data: { workspaceId: owner.workspace.id, day: dayOf(new Date(noon)), agentSlug: "security-scanner", model: "m", runs: 1, succeeded: 1, inputTokens: 150_000n, outputTokens: 50_000n } });
    const err = await withClockFrom(noon, () => acceptRun(owner.principal, { agent: "security-scanner", input: scannerInput }, { executor: testExecutor() }).catch((e: unknown) => e));
    expect(err).toMatchObject({ code: "rate_limited", details: { dimension: "tokens_per_day", limit: 200_000 } });
    const wait = (err as { details: { retryAfterSeconds: number } }).details.retryAfterSeconds;
    expect(wait).toBeGreaterThan(43_000); // until midnight: 12 h, less the time the check took
    expect(wait).toBeLessThanOrEqual(43_200);
  });
});

describe("the sliding window", () => {
  for (const backend of ["postgres", "redis"] as const) {
    it(`${backend}: refuses past the limit, weighs the previous window, and resets`, async () => {
      let redis: Awaited<ReturnType<typeof startRedis>> | undefined;
      if (backend === "redis") {
        redis = await startRedis();
        stores.push({ close: redis.stop });
      }
      const store = createStore({ databaseUrl: process.env.DATABASE_URL!, redisUrl: redis?.url });
      stores.unshift(store);
      expect(store.backend).toBe(backend);
      const limiter = store.limiter(60);
      const key = `test:${randomUUID()}`;
      const t0 = Math.floor(Date.now() / 60_000) * 60_000 + 1_000; // 1 s into a window
      const decisions = await Promise.all(Array.from({ length: 8 }, () => hit(limiter, key, 5, 60, t0)));
      expect(decisions.filter((d) => d.allowed)).toHaveLength(5); // concurrent, exact
      const refused = decisions.find((d) => !d.allowed)!;
      expect(refused.retryAfterSeconds).toBe(59 + Math.ceil(60 * (1 - 4 / 5))); // the rest of this window, then until 5 × (1 − t/60) ≤ 4
      // Half-way through the next window, the previous 5 weigh 2.5: 2 more fit.
      const t1 = t0 + 60_000 + 29_000;
      const next = [await hit(limiter, key, 5, 60, t1), await hit(limiter, key, 5, 60, t1), await hit(limiter, key, 5, 60, t1)];
      expect(next.map((d) => d.allowed)).toEqual([true, true, false]);
      // Two windows on, everything has slid out.
      expect((await hit(limiter, key, 5, 60, t0 + 120_000 + 58_000)).allowed).toBe(true); // the window's last second
      const later = await hit(limiter, key, 5, 60, t0 + 300_000); // a window with nothing before it

      expect(later).toMatchObject({ allowed: true, remaining: 4 });
    });
  }
});
