import { inject } from "vitest";

process.env.DATABASE_URL = inject("databaseUrl");
process.env.SMTP_URL = inject("smtpUrl"); // tests/fakes/smtp-catcher.ts, read back with tests/helpers/mailbox.ts
process.env.NEXTAUTH_SECRET = "test-secret-test-secret-test-secret-0123";
process.env.AGORA_LOG_LEVEL ??= "warn"; // request and run lines would drown the test output
// Each test file's job engine (pg-boss) lives in its own schema, so no file claims another's runs;
// a worker killed in a test is noticed within a second or two of its heartbeat lapsing.
process.env.AGORA_JOBS_SCHEMA = `pgboss_${Math.random().toString(36).slice(2, 10)}`;
process.env.AGORA_JOB_SUPERVISE_SECONDS ??= "1";
process.env.AGORA_JOB_CRON_SECONDS ??= "1"; // schedules fire within a second of coming due (lib/jobs/registry.ts)
// A run's lease is an hour here: a test file's run worker recovers runs it finds without a job, and
// every other file's runs live in other job schemas — only runs a test leaves behind for that long
// would be taken. (Tests of recovery pass their own clock; the cross-process ones set their own lease.)
process.env.AGORA_RUN_LEASE_MS ??= "3600000";
// Fake providers' A2A agents listen on 127.0.0.1 (tests/fakes/a2a-provider.ts): loopback endpoints are allowed here.
process.env.AGORA_ALLOW_LOOPBACK_ENDPOINTS ??= "1";
// Outgoing webhooks: tests/integration/webhooks.int.test.ts drives dispatch and retries with its own clock; no file's job engine sends them.
process.env.AGORA_WEBHOOKS_JOB ??= "off";
