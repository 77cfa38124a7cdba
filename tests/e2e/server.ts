// The app under test: embedded PostgreSQL (its own data dir), a fresh database,
// migrations + seed, a production build, `next start` on 127.0.0.1 — twice: a
// second instance on port + 1 shares the database and a real redis-server (rate
// limits, SPEC §5), as two instances behind a load balancer would; Stripe is
// the fake Stripe server (tests/fakes/stripe-server.ts). Playwright
// starts this and stops it with SIGTERM; we then stop both instances, Redis,
// drop the database and stop PostgreSQL.
import { spawn, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { createRequire } from "node:module";
import { prepareDatabase } from "../../lib/db/prepare-database";
import { startFakeStripe } from "../fakes/stripe-server";
import { startRedis } from "../helpers/redis-server";
import { stripeSetup } from "../../scripts/stripe-setup";
import { startTestDatabase } from "../helpers/test-database";

const port = Number(process.argv[2] ?? 3107);
const database = await startTestDatabase("agora_e2e");
const redis = await startRedis();
// Stripe: the fake, with the plans' prices made by the setup script; hosted Checkout posts its webhooks to the first instance.
const stripe = await startFakeStripe();
stripe.webhookUrl = `http://127.0.0.1:${port}/api/stripe/webhook`;
stripe.deliveryDelayMs = 1_500;
const prices = Object.fromEntries((await stripeSetup("sk_test_e2e", stripe.url)).filter((l) => l.startsWith("STRIPE_PRICE_")).map((l) => l.split("=")));

const env = {
  ...process.env,
  DATABASE_URL: database.url,
  NODE_ENV: "production",
  AGORA_SEED_DEMO: "1",
  NEXTAUTH_URL: `http://127.0.0.1:${port}`,
  NEXTAUTH_SECRET: randomBytes(32).toString("base64url"),
  METRICS_TOKEN: "e2e-metrics-token-0123456789",
  NEXT_MANUAL_SIG_HANDLE: "true", // graceful shutdown on SIGTERM (instrumentation.ts)
  AGORA_SHUTDOWN_GRACE_MS: "2000",
  NEXT_TELEMETRY_DISABLED: "1",
  ANTHROPIC_API_KEY: "", // the offline model: the browser tests never reach a real provider
  REDIS_URL: redis.url,
  STRIPE_SECRET_KEY: "sk_test_e2e",
  STRIPE_WEBHOOK_SECRET: stripe.webhookSecret,
  STRIPE_API_BASE: stripe.url,
  ...prices,
} as NodeJS.ProcessEnv;
Object.assign(process.env, env);
await prepareDatabase(env.DATABASE_URL!);

const nextBin = createRequire(import.meta.url).resolve("next/dist/bin/next");
if (!process.env.E2E_SKIP_BUILD) {
  const build = spawnSync(process.execPath, [nextBin, "build"], { stdio: "inherit", env });
  if (build.status !== 0) process.exit(build.status ?? 1);
}
const instances = [port, port + 1].map((p) => spawn(process.execPath, [nextBin, "start", "-H", "127.0.0.1", "-p", String(p)], { stdio: "inherit", env }));

let stopping = false;
async function stop() {
  if (stopping) return;
  stopping = true;
  await Promise.all(
    instances.map((next) => {
      next.kill("SIGTERM");
      return new Promise((r) => (next.exitCode !== null ? r(null) : next.once("exit", r)));
    }),
  );
  await redis.stop();
  await stripe.close();
  await database.stop();
  process.exit(0);
}
process.on("SIGTERM", () => void stop());
process.on("SIGINT", () => void stop());
for (const next of instances) next.on("exit", () => void stop());
