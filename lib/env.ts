import { z } from "zod";

// The one place that reads process.env (SPEC §12; STYLE "Environment typed once").
// Parsed lazily on first use so `next build` does not need a database, and parsed
// once: a bad value fails fast with every problem named.

const boolish = z
  .enum(["1", "0", "true", "false"])
  .optional()
  .transform((v) => v === "1" || v === "true");

const DEFAULT_ADMIN_PASSWORD = "agora-admin";

/** A server whose own URL is a loopback address serves nobody else (benchmarks, end-to-end tests). */
const servesOnlyLoopback = (e: { NEXTAUTH_URL?: string }) => /^https?:\/\/(127\.0\.0\.1|localhost|\[::1\])(:\d+)?\/?$/.test(e.NEXTAUTH_URL ?? "");

const envSchema = z
  .object({
    NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
    DATABASE_URL: z.string().regex(/^postgres(ql)?:\/\//, "must be a postgresql:// connection string"),
    NEXTAUTH_SECRET: z.string().min(32, "must be at least 32 characters").optional(),
    NEXTAUTH_URL: z.url().optional(),
    GITHUB_ID: z.string().min(1).optional(),
    GITHUB_SECRET: z.string().min(1).optional(),
    AGORA_SEED_DEMO: boolish,
    AGORA_DEMO_PASSWORD: z.string().min(8).default("agora-demo"),
    AGORA_ADMIN_PASSWORD: z.string().min(8).default(DEFAULT_ADMIN_PASSWORD),
    AGORA_ADMIN_EMAIL: z.email().optional(), // a platform admin created at start when no account has this e-mail (password: AGORA_ADMIN_PASSWORD)
    AGORA_BODY_LIMIT_BYTES: z.coerce.number().int().positive().default(1_048_576),
    AGORA_DOCUMENT_MAX_BYTES: z.coerce.number().int().positive().default(5_242_880), // one knowledge-base upload
    AGORA_SIGNIN_MAX_FAILURES_PER_EMAIL: z.coerce.number().int().positive().default(5),
    AGORA_SIGNIN_MAX_FAILURES_PER_IP: z.coerce.number().int().positive().default(20),
    AGORA_SIGNIN_WINDOW_MINUTES: z.coerce.number().int().positive().default(15),
    // Sign-ups per client IP per window (each new account is a mail and, once verified, free credit).
    AGORA_SIGNUP_MAX_PER_IP: z.coerce.number().int().positive().default(5),
    AGORA_SIGNUP_WINDOW_MINUTES: z.coerce.number().int().positive().default(60),
    // Reverse proxies whose X-Forwarded-For/-Host/-Proto count (comma-separated IPs or CIDRs, IPv4 or IPv6);
    // from any other peer those headers are ignored and the socket address is the client.
    AGORA_TRUSTED_PROXIES: z
      .string()
      .optional()
      .transform((v) => (v ?? "").split(",").map((s) => s.trim()).filter(Boolean))
      .pipe(z.array(z.union([z.ipv4(), z.ipv6(), z.cidrv4(), z.cidrv6()], { error: "must be comma-separated IP addresses or CIDR ranges (10.0.0.0/8, fd00::/8)" }))),
    // E-mail (verification, password reset, invitations): smtp:// or smtps:// URL with credentials.
    // Unset → outside production the messages are printed to the console; in production those features say mail is unavailable.
    SMTP_URL: z
      .string()
      .regex(/^smtps?:\/\//, "must be an smtp:// or smtps:// URL")
      .optional(),
    MAIL_FROM: z.string().min(3).default("Agora <no-reply@agora.localhost>"),
    // Rate-limit counters (SPEC §5) and run-event/cancel signals: in PostgreSQL, or Redis when REDIS_URL is set.
    REDIS_URL: z
      .string()
      .regex(/^rediss?:\/\//, "must be a redis:// or rediss:// URL")
      .optional(),
    AGORA_MAX_STREAMS_PER_WORKSPACE: z.coerce.number().int().positive().default(20), // open run event streams (SSE), per app process
    AGORA_MAX_STREAMS_PER_KEY: z.coerce.number().int().positive().default(5),
    AGORA_SESSION_REQUESTS_PER_MINUTE: z.coerce.number().int().positive().default(600), // per signed-in user, on our own pages' API calls
    // Stripe (SPEC §8): unset → billing pages explain how to configure it; everything else works.
    STRIPE_SECRET_KEY: z.string().optional(),
    STRIPE_WEBHOOK_SECRET: z.string().optional(),
    STRIPE_API_BASE: z.url().optional(), // another Stripe API host (tests point it at the fake)
    STRIPE_CONNECT_WEBHOOK_SECRET: z.string().optional(), // the Connect webhook endpoint's own secret (account.updated, payout.failed)
    AGORA_PLATFORM_FEE_BPS: z.coerce.number().int().min(0).max(10_000).default(2_000), // the platform's fee on a provider's gross, unless set per provider
    AGORA_EARNINGS_MATURITY_DAYS: z.coerce.number().min(0).default(7), // a provider's share becomes payable this long after its run finished
    AGORA_PAYOUT_MINIMUM_MICROS: z.coerce.bigint().min(1n).default(25_000_000n), // a weekly payout is sent only from this matured balance up
    AGORA_TEST_CLOCK: boolish, // tests: the clock (lib/time/clock.ts) takes an offset from the database, advanced by POST /api/test/clock
    STRIPE_PRICE_BASIC: z.string().min(1).optional(), // written into the Tier table's empty stripePriceId at start
    STRIPE_PRICE_PRO: z.string().min(1).optional(),
    STRIPE_METER_EVENT_NAME: z.string().min(1).default("agora_run_spend"),
    AGORA_BILLING_GRACE_DAYS: z.coerce.number().int().min(0).default(7), // after an unpaid invoice, runs work this long
    AGORA_MIGRATE_ON_START: boolish, // the server applies pending migrations and the seed before serving (the Docker image sets it)
    AGORA_SHUTDOWN_GRACE_MS: z.coerce.number().int().min(0).default(25_000), // on SIGTERM, how long running runs may finish
    AGORA_OUTBOX_INTERVAL_MS: z.coerce.number().int().positive().default(2_000),
    METRICS_TOKEN: z.string().min(16, "must be at least 16 characters").optional(), // bearer token for /api/metrics and /api/health
    AGORA_LOG_LEVEL: z.enum(["debug", "info", "warn", "error", "silent"]).default("info"), // read by lib/observability/log.ts from process.env directly
    AGORA_DB_POOL_MAX: z.coerce.number().int().positive().default(10),
    // Named (prepared) statements on the app's connections (lib/db/client.ts); "off" behind a pooler that cannot keep them (PgBouncer before 1.21 in transaction mode).
    AGORA_DB_PREPARED_STATEMENTS: z.enum(["on", "off"]).default("on"),
    // How long an interactive transaction may wait for a pooled connection, and run: a burst
    // of runs on a busy machine queues for connections rather than failing (P2028 → 503).
    AGORA_DB_TX_MAX_WAIT_MS: z.coerce.number().int().positive().default(10_000),
    AGORA_DB_TX_TIMEOUT_MS: z.coerce.number().int().positive().default(20_000),
    // Model providers (SPEC §7): no key → the offline model.
    ANTHROPIC_API_KEY: z.string().optional(),
    ANTHROPIC_BASE_URL: z.url().optional(),
    // Executor (SPEC §3).
    AGORA_RUN_TIMEOUT_MS: z.coerce.number().int().positive().default(300_000),
    AGORA_RUN_LEASE_MS: z.coerce.number().int().min(1_000).default(30_000),
    AGORA_RUN_MAX_TURNS: z.coerce.number().int().positive().default(10),
    AGORA_HOLD_TURNS: z.coerce.number().int().positive().default(4), // model turns a run's credit hold covers at full length
    // Failure farming (SPEC §13; "provider" = a package's publisher here, not the model vendor): runs of one
    // third-party package on one input that failed by its provider's fault in the last hour, past which that input is refused.
    AGORA_PROVIDER_FAILURES_PER_HOUR: z.coerce.number().int().positive().default(3),
    // Publishing (issue 19): the highest base fee (and billable event price) a provider may set, and a price increase's notice.
    AGORA_MAX_BASE_FEE_MICROS: z.coerce.number().int().min(0).default(50_000_000),
    AGORA_PRICE_NOTICE_DAYS: z.coerce.number().int().min(0).default(14),
    AGORA_EVENT_RETENTION_DAYS: z.coerce.number().min(1).default(30), // the event feed (GET /api/v1/events) keeps this many days
    // Process roles and the run engine (pg-boss on the same PostgreSQL; lib/jobs/): `all` accepts and executes,
    // `web` only accepts, streams and serves, `worker` only executes runs and background jobs (no HTTP).
    AGORA_ROLE: z.enum(["all", "web", "worker"]).default("all"),
    AGORA_WORKER_CONCURRENCY: z.coerce.number().int().positive().default(16), // runs one worker executes at once, per run queue
    AGORA_WORKER_FAST_LANE: z.coerce.number().int().min(0).default(1), // extra slots per run queue for a workspace's first live run (fairness)
    AGORA_WORKER_POLL_MS: z.coerce.number().int().min(100).max(60_000).default(1_000), // how often an idle worker looks for run jobs nobody announced
    AGORA_JOB_HEARTBEAT_SECONDS: z.coerce.number().int().min(10).default(10), // a worker that stops beating this long has its runs resumed elsewhere
    AGORA_JOB_SUPERVISE_SECONDS: z.coerce.number().int().min(1).max(60).default(5), // how often each instance looks for lapsed heartbeats
    AGORA_JOB_CRON_SECONDS: z.coerce.number().int().min(1).max(45).default(30), // how often schedules (lib/jobs/registry.ts) are checked for a due occurrence
    AGORA_JOB_RETRY_LIMIT: z.coerce.number().int().min(0).default(3), // resumes of one run before it ends FAILED `interrupted`
    AGORA_JOBS_SCHEMA: z.string().regex(/^[a-z_][a-z0-9_]*$/).default("pgboss"),
    AGORA_PROVIDER_MAX_RETRIES: z.coerce.number().int().min(0).default(3),
    AGORA_PROVIDER_RETRY_BASE_MS: z.coerce.number().int().positive().default(500),
    AGORA_BREAKER_FAILURES: z.coerce.number().int().positive().default(5),
    AGORA_BREAKER_COOLDOWN_MS: z.coerce.number().int().positive().default(30_000),
    // Remote packages (issue 19): provider endpoints on loopback addresses (and http to them) are allowed — tests and local work only.
    AGORA_ALLOW_LOOPBACK_ENDPOINTS: boolish,
    // Providers' signing secrets are stored encrypted (AES-256-GCM) under this key: 32 bytes, base64 or hex.
    // Required in production to make or use a secret (`npm start` generates one in .data/ when unset); outside production a fixed development key.
    AGORA_SECRETS_KEY: z
      .string()
      .refine((v) => [Buffer.from(v, "base64"), Buffer.from(v, "hex")].some((b) => b.length === 32), "must be 32 bytes, base64 or hex (openssl rand -base64 32)")
      .optional(),
    AGORA_SECRET_ROTATION_HOURS: z.coerce.number().positive().default(24), // how long a provider's previous signing secret stays valid after a rotation
    // Outgoing webhooks' background job (dispatch and retries, every 5 s). "off" in the integration tests, which drive
    // delivery themselves with a clock of their own (several test files share one database); "send test event" and "resend" work either way.
    AGORA_WEBHOOKS_JOB: z.enum(["on", "off"]).default("on"),
  })
  .refine((e) => e.NODE_ENV !== "production" || e.NEXTAUTH_SECRET, {
    path: ["NEXTAUTH_SECRET"],
    message: "is required in production (npm start generates one in .data/ when unset)",
  })
  .refine((e) => e.NODE_ENV !== "production" || !e.AGORA_ADMIN_EMAIL || (e.AGORA_ADMIN_PASSWORD !== DEFAULT_ADMIN_PASSWORD && e.AGORA_ADMIN_PASSWORD.length >= 12), {
    path: ["AGORA_ADMIN_PASSWORD"],
    message: "must be set, 12+ characters, for the AGORA_ADMIN_EMAIL account in production",
  })
  .refine((e) => e.NODE_ENV !== "production" || e.METRICS_TOKEN, {
    path: ["METRICS_TOKEN"],
    message: "is required in production, or /api/metrics would be public (npm start generates one in .data/ when unset)",
  })
  // A production server may call loopback endpoints, or let time be moved (the test clock), only when it serves
  // nobody else: benchmarks and end-to-end tests on 127.0.0.1.
  .refine((e) => e.NODE_ENV !== "production" || !e.AGORA_ALLOW_LOOPBACK_ENDPOINTS || servesOnlyLoopback(e), {
    path: ["AGORA_ALLOW_LOOPBACK_ENDPOINTS"],
    message: "is for development and tests: refused in production unless NEXTAUTH_URL is a loopback address",
  })
  .refine((e) => e.NODE_ENV !== "production" || !e.AGORA_TEST_CLOCK || servesOnlyLoopback(e), {
    path: ["AGORA_TEST_CLOCK"],
    message: "lets time be moved forward: refused in production unless NEXTAUTH_URL is a loopback address",
  })
  .refine((e) => !e.GITHUB_ID === !e.GITHUB_SECRET, {
    path: ["GITHUB_SECRET"],
    message: "GITHUB_ID and GITHUB_SECRET must be set together",
  });

export type Env = z.infer<typeof envSchema>;
/** Every variable the app reads through this module (the ops files are checked against it). */
export const envVariableNames = () => Object.keys(envSchema.shape);

let cached: Env | undefined;

/** Validates an environment, throwing one readable error that names every bad variable. */
export function parseEnv(source: Record<string, string | undefined>): Env {
  // An empty variable is an unset one (`FOO=` in an .env file, or a test clearing a key it inherited).
  const parsed = envSchema.safeParse(Object.fromEntries(Object.entries(source).filter(([, v]) => v !== "")));
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join(".") || "(env)"}: ${i.message}`);
    throw new Error(`Invalid environment configuration:\n${lines.join("\n")}`);
  }
  return parsed.data;
}

export function env(): Env {
  cached ??= parseEnv(process.env);
  return cached;
}

/** Whether demo accounts are seeded: always outside production, opt-in inside. */
export const seedsDemo = (e: Env) => e.NODE_ENV !== "production" || e.AGORA_SEED_DEMO;
export const githubEnabled = (e: Env) => Boolean(e.GITHUB_ID && e.GITHUB_SECRET);
/** Cookies are `Secure` when the public URL is https (as next-auth decides for its own). */
export const secureCookies = (e: Env) => Boolean(e.NEXTAUTH_URL?.startsWith("https://"));
