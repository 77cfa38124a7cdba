// npm run bench:rate-limits   (BENCH_CHECKS=3000)
//
// Issue 5's rate-limit cost: one requests/min check (lib/rate-limits
// sliding-window `hit`: an atomic increment of this window's counter and a read
// of the previous window's, as every /api/v1 request pays) against the
// PostgreSQL store (unlogged table, the default) and a real redis-server.
// Sequential checks give the latency per request (p50/p99); 16 concurrent
// workers give the throughput one app instance gets from the store.
import { randomBytes } from "node:crypto";
import { prepareDatabase } from "../lib/db/prepare-database";
import { startRedis } from "../tests/helpers/redis-server";
import { startTestDatabase } from "../tests/helpers/test-database";

const CHECKS = Number(process.env.BENCH_CHECKS ?? 3_000);
const database = await startTestDatabase("agora_bench_rl");
const redis = await startRedis();
Object.assign(process.env, { DATABASE_URL: database.url, NEXTAUTH_SECRET: randomBytes(32).toString("base64url") });
await prepareDatabase(database.url);
const { createStore } = await import("../lib/rate-limits/store");
const { hit } = await import("../lib/rate-limits/sliding-window");

const pct = (xs: number[], p: number) => xs[Math.min(xs.length - 1, Math.ceil(p * xs.length) - 1)]!.toFixed(2);
console.log(`rate-limit check: ${CHECKS} checks per measurement, 200 workspaces' keys\n`);
console.log("| store | p50 ms | p99 ms | checks/s (1 worker) | checks/s (16 workers) |\n|---|---|---|---|---|");
for (const backend of ["postgres", "redis"] as const) {
  const store = createStore({ databaseUrl: database.url, redisUrl: backend === "redis" ? redis.url : undefined });
  const limiter = store.limiter(60);
  const key = (i: number) => `req:ws:bench-${i % 200}`;
  for (let i = 0; i < 200; i++) await hit(limiter, key(i), 1_000_000, 60); // warm-up: connections, rows
  const samples: number[] = [];
  let started = performance.now();
  for (let i = 0; i < CHECKS; i++) {
    const t = performance.now();
    await hit(limiter, key(i), 1_000_000, 60);
    samples.push(performance.now() - t);
  }
  const sequential = CHECKS / ((performance.now() - started) / 1000);
  let next = 0;
  started = performance.now();
  await Promise.all(Array.from({ length: 16 }, async () => {
    for (let i = next++; i < CHECKS; i = next++) await hit(limiter, key(i), 1_000_000, 60);
  }));
  const concurrent = CHECKS / ((performance.now() - started) / 1000);
  samples.sort((a, b) => a - b);
  console.log(`| ${backend} | ${pct(samples, 0.5)} | ${pct(samples, 0.99)} | ${Math.round(sequential)} | ${Math.round(concurrent)} |`);
  await store.close();
}
await redis.stop();
await database.stop();
