// The app under test, deployed as the Dockerfile deploys it: a production build's
// standalone output (scripts/standalone.ts), copied out of the checkout into a
// temporary folder (so it can only use what it carries), run twice on 127.0.0.1 —
// on the two ports it is given (Playwright's config has the OS choose them), the second as an unprivileged user when we are root — against one empty database in the embedded PostgreSQL,
// which the two instances migrate and seed themselves at start
// (AGORA_MIGRATE_ON_START, taking turns). They share a real redis-server (rate
// limits, SPEC §5), as two instances behind a load balancer would; Stripe is
// the fake Stripe server (tests/fakes/stripe-server.ts). Playwright starts this,
// waits for the line saying both are ready, and stops it with SIGTERM; we then stop
// both instances, Redis, drop the database and stop PostgreSQL.
import { chmodSync, chownSync, cpSync, mkdirSync, rmSync } from "node:fs";
import { randomBytes } from "node:crypto";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { keepEmbeddedServersThroughSigterm } from "../../lib/db/embedded";
import { buildStandalone, standaloneDir, startStandalone } from "../../scripts/standalone";
import { startFakeStripe } from "../fakes/stripe-server";
import { startSmtpCatcher } from "../fakes/smtp-catcher";
import { startRedis } from "../helpers/redis-server";
import { stripeSetup } from "../../scripts/stripe-setup";
import { startTestDatabase } from "../helpers/test-database";

const [port, secondPort, mailPort] = process.argv.slice(2, 5).map(Number) as [number, number, number];
if (!port || !secondPort || !mailPort) throw new Error("usage: tsx tests/e2e/server.ts <port> <second port> <mail port>");
// Port 3000 is taken for the whole run (by `npm run dev`, or else by us), so anything
// that falls back to Next's default port fails here rather than on a developer's machine.
const port3000 = net.createServer().on("error", () => undefined);
port3000.listen(3000, "127.0.0.1");
const database = await startTestDatabase("agora_e2e");
const redis = await startRedis();
// Stripe: the fake, with the plans' prices made by the setup script; hosted Checkout posts its webhooks to the first instance.
const stripe = await startFakeStripe();
stripe.webhookUrl = `http://127.0.0.1:${port}/api/stripe/webhook`;
stripe.connectWebhookUrl = `http://127.0.0.1:${port}/api/stripe/connect-webhook`; // providers' Connect accounts (issue 19)
stripe.deliveryDelayMs = 1_500;
// Mail: the SMTP catcher; the browser tests read what it caught over HTTP on mailPort (tests/e2e/mail.ts).
const mail = await startSmtpCatcher();
await mail.serveHttp(mailPort);
const prices = Object.fromEntries((await stripeSetup("sk_test_e2e", stripe.url)).filter((l) => l.startsWith("STRIPE_PRICE_")).map((l) => l.split("=")));

const env = {
  ...process.env,
  DATABASE_URL: database.url,
  NODE_ENV: "production",
  AGORA_SEED_DEMO: "1",
  NEXTAUTH_URL: `http://127.0.0.1:${port}`,
  NEXTAUTH_SECRET: randomBytes(32).toString("base64url"),
  METRICS_TOKEN: "e2e-metrics-token-0123456789",
  AGORA_SECRETS_KEY: Buffer.alloc(32, 7).toString("base64"), // providers' signing secrets (lib/remote/secrets.ts)
  NEXT_MANUAL_SIG_HANDLE: "true", // graceful shutdown on SIGTERM (instrumentation.ts)
  AGORA_MIGRATE_ON_START: "1",
  AGORA_SHUTDOWN_GRACE_MS: "2000",
  NEXT_TELEMETRY_DISABLED: "1",
  ANTHROPIC_API_KEY: "", // the offline model: the browser tests never reach a real provider
  REDIS_URL: redis.url,
  SMTP_URL: mail.url,
  AGORA_SIGNUP_MAX_PER_IP: "1000", // every browser test signs up from 127.0.0.1
  STRIPE_SECRET_KEY: "sk_test_e2e",
  STRIPE_WEBHOOK_SECRET: stripe.webhookSecret,
  STRIPE_API_BASE: stripe.url,
  STRIPE_CONNECT_WEBHOOK_SECRET: stripe.connectWebhookSecret,
  AGORA_PAYOUT_MINIMUM_MICROS: "500000", // $0.50: one run of a browser test, paid for with a new account's $1, makes a payout
  AGORA_TEST_CLOCK: "1", // the market spec moves time a week on (allowed: the instances serve only 127.0.0.1)
  AGORA_ALLOW_LOOPBACK_ENDPOINTS: "1", // webhooks.spec.ts's receiver listens on 127.0.0.1 (allowed: the instances serve only 127.0.0.1)
  ...prices,
} as NodeJS.ProcessEnv;
Object.assign(process.env, env);

if (!process.env.E2E_SKIP_BUILD) {
  const status = buildStandalone(env);
  if (status !== 0) process.exit(status);
}
// One folder per port, replaced each time (in case a run was killed before it could delete it).
const deployed = path.join(os.tmpdir(), `agora-e2e-standalone-${port}`);
rmSync(deployed, { recursive: true, force: true });
cpSync(standaloneDir, deployed, { recursive: true, verbatimSymlinks: true }); // its relative links stay inside it
// As in the image: the files are root's and read-only to the server, but for Next's cache.
// Run as root (CI), the second instance runs as an unprivileged user, as the image's does.
const unprivileged = process.getuid?.() === 0 ? 65534 : undefined;
chmodSync(deployed, 0o755);
mkdirSync(path.join(deployed, ".next", "cache"), { recursive: true });
if (unprivileged !== undefined) chownSync(path.join(deployed, ".next", "cache"), unprivileged, unprivileged);
const instances = [port, secondPort].map((p, i) => startStandalone({ port: p, host: "127.0.0.1", env, dir: deployed, uid: i === 1 ? unprivileged : undefined }));

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
  rmSync(deployed, { recursive: true, force: true });
  port3000.close();
  await redis.stop();
  await stripe.close();
  await mail.close();
  await database.stop();
  process.exit(0);
}
keepEmbeddedServersThroughSigterm(); // stop() stops PostgreSQL after the instances
process.on("SIGTERM", () => void stop());
process.on("SIGINT", () => void stop());
for (const next of instances) next.on("exit", () => void stop());

// Both instances ready (migrated, seeded, workers started) → the line Playwright waits for.
const ready = (p: number) => fetch(`http://127.0.0.1:${p}/api/health/ready`).then((r) => r.ok, () => false);
for (let i = 0; !((await ready(port)) && (await ready(secondPort))); i++) {
  if (i === 1_200) throw new Error("the two instances were not ready within 5 minutes");
  await new Promise((r) => setTimeout(r, 250));
}
console.log("e2e: both instances ready");
