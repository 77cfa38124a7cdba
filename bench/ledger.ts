// npm run bench:ledger   (BENCH_OPS=4000 BENCH_CONCURRENCY=32)
//
// Issue 5's ledger benchmark, against the embedded PostgreSQL: hold-then-settle
// pairs per second through lib/ledger at concurrency 32 (each pair = two
// transactions: place a hold on one of 64 wallets, then post part of it, as a
// run's accept and finish do), next to plain single-row INSERT transactions on
// the same database at the same concurrency — the floor on this machine. The
// goal is ≥ 50% of the floor, counted in transactions per second.
import { randomBytes, randomUUID } from "node:crypto";
import { startTestDatabase } from "../tests/helpers/test-database";
import { prepareDatabase } from "../lib/db/prepare-database";

const OPS = Number(process.env.BENCH_OPS ?? 4_000); // transactions per measurement
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 32);
const WALLETS = 64;

const database = await startTestDatabase("agora_bench_ledger");
Object.assign(process.env, { DATABASE_URL: database.url, NEXTAUTH_SECRET: randomBytes(32).toString("base64url"), AGORA_DB_POOL_MAX: String(CONCURRENCY) });
await prepareDatabase(database.url);
const { getDb } = await import("../lib/db/client");
const { hold, postHold, transfer, walletFor, SYSTEM_ACCOUNTS } = await import("../lib/ledger/ledger");
const { checkLedgerInvariants } = await import("../lib/ledger/invariants");
const { signUp } = await import("../lib/accounts/sign-up");
const db = getDb();

const wallets: string[] = [];
for (let i = 0; i < WALLETS; i++) {
  const { workspace } = await signUp({ email: `ledger-bench-${i}-${Date.now()}@bench.agora.dev`, password: "bench password 1", name: `L${i}` }, { ip: null, baseUrl: "http://localhost:3000" });
  const wallet = await db.$transaction((tx) => walletFor(tx, workspace.id));
  await db.$transaction((tx) => transfer(tx, { debit: SYSTEM_ACCOUNTS.promotions, credit: wallet, amount: 1_000_000_000_000n, reason: "admin_grant", idempotencyKey: randomUUID() }));
  wallets.push(wallet);
}
await db.$executeRawUnsafe(`CREATE TABLE bench_floor (id bigserial PRIMARY KEY, wallet text NOT NULL, amount bigint NOT NULL, at timestamptz NOT NULL DEFAULT now())`);

/** Runs `count` jobs with `CONCURRENCY` workers; returns jobs per second. */
async function measure(count: number, job: (i: number) => Promise<unknown>): Promise<number> {
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      for (let i = next++; i < count; i = next++) await job(i);
    }),
  );
  return count / ((performance.now() - started) / 1000);
}

const expiresAt = new Date(Date.now() + 3_600_000);
// Warm up connections and plans.
await measure(200, (i) => db.$executeRaw`INSERT INTO bench_floor (wallet, amount) VALUES (${wallets[i % WALLETS]!}, 1)`);

const floor = await measure(OPS, (i) => db.$transaction((tx) => tx.$executeRaw`INSERT INTO bench_floor (wallet, amount) VALUES (${wallets[i % WALLETS]!}, ${BigInt(i)})`));
const pairs = await measure(OPS / 2, async (i) => {
  const wallet = wallets[i % WALLETS]!;
  const h = await db.$transaction((tx) => hold(tx, { debit: wallet, credit: SYSTEM_ACCOUNTS.revenue, amount: 50_000n, reason: "correction", idempotencyKey: randomUUID(), expiresAt }));
  await db.$transaction((tx) => postHold(tx, h.id, 12_345n));
});
const violations = await checkLedgerInvariants(db);

console.log(`ledger: ${OPS} transactions each, concurrency ${CONCURRENCY}, ${WALLETS} wallets\n`);
console.log("| what | per second | transactions/s |");
console.log("|---|---|---|");
console.log(`| plain single-row INSERT transactions (floor) | ${floor.toFixed(0)} | ${floor.toFixed(0)} |`);
console.log(`| hold + settle pairs through lib/ledger | ${pairs.toFixed(0)} | ${(pairs * 2).toFixed(0)} |`);
console.log(`\nledger transactions/s as a share of the floor: ${((pairs * 2 * 100) / floor).toFixed(0)}% (goal ≥ 50%); invariants: ${violations.length ? JSON.stringify(violations) : "hold"}`);

await db.$disconnect();
await database.stop();
