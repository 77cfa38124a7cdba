import type { Queue } from "pg-boss";
import { countPackageRuns } from "@/lib/agents/package-counts";
import { drainOutbox } from "@/lib/billing/outbox";
import { outboxSenders } from "@/lib/billing/outbox-senders";
import { pruneStripeEvents } from "@/lib/billing/webhooks/process-event";
import type { Db } from "@/lib/db/client";
import type { Env } from "@/lib/env";
import { expireHolds } from "@/lib/ledger/ledger";
import { applyDuePriceChanges } from "@/lib/packages/price-changes";
import { recoverOrphanedRuns } from "@/lib/runs/recover-runs";
import type { RunJobs } from "@/lib/runs/run-jobs";

// Every background job, in one place (issue 17). Each runs on the job engine
// (lib/jobs/boss.ts) in the processes with AGORA_ROLE `all` or `worker`;
// lib/jobs/start.ts creates its queue, schedules it and works it.
//
// Exactly one instance runs each occurrence, however many processes are up:
// a schedule's occurrence is sent once (pg-boss files it under a one-minute
// singleton slot), and every queue is `stately` — at most one job waiting and
// one running — so occurrences never pile up behind a slow or stopped worker.
// Schedules are cron (UTC, minute resolution). A job that must run more often
// than every minute (`everyMs`) chains itself: each run sends the next, due
// `everyMs` later, under one singleton key (so at most one link is waiting);
// its per-minute schedule, under that same key, only restarts a broken chain.
// Handlers are idempotent: a job handed back by a stopped worker runs again.

/** What a handler may use. */
export type JobContext = { db: Db; runs: Pick<RunJobs, "resend" | "queues"> };

export type BackgroundJob = {
  /** The queue's name. */
  name: string;
  /** What it does, in one line. */
  what: string;
  /** When it runs: a cron expression (UTC). */
  cron: string;
  /** Self-chaining: runs again this long after each run ends (the schedule then restarts a broken chain). */
  everyMs?: (e: Env) => number;
  /** Off when this says so (the queue is not worked and its schedule is removed). */
  enabled?: (e: Env) => boolean;
  /** Queue settings beyond the `stately` policy. */
  queue: Pick<Queue, "retryLimit" | "expireInSeconds">;
  run(ctx: JobContext): Promise<unknown>;
};

const stripeConfigured = (e: Env) => Boolean(e.STRIPE_SECRET_KEY);

export const BACKGROUND_JOBS: BackgroundJob[] = [
  {
    name: "outbox.drain",
    what: "Sends the Outbox: Stripe meter events of settled metered runs, auto top-ups (claimed with SKIP LOCKED, retried with backoff).",
    cron: "* * * * *",
    everyMs: (e) => e.AGORA_OUTBOX_INTERVAL_MS,
    enabled: stripeConfigured,
    // No retries: the next link of the chain is the retry.
    queue: { retryLimit: 0, expireInSeconds: 300 },
    run: ({ db }) => drainOutbox(db, outboxSenders),
  },
  {
    name: "holds.expire",
    what: "Expires credit holds past their expiry (a run that never settled) and releases their budget reservation.",
    cron: "* * * * *",
    queue: { retryLimit: 1, expireInSeconds: 300 },
    run: ({ db }) => expireHolds(db),
  },
  {
    name: "stripe.prune",
    what: "Deletes processed Stripe event ids past their retention (webhook deduplication).",
    cron: "7 * * * *",
    enabled: stripeConfigured,
    queue: { retryLimit: 1, expireInSeconds: 300 },
    run: () => pruneStripeEvents(),
  },
  {
    name: "packages.count",
    what: "Adds the runs ended since its last run to their packages' run and success counts (the catalog's popularity and success rate).",
    cron: "* * * * *",
    queue: { retryLimit: 1, expireInSeconds: 300 },
    run: ({ db }) => countPackageRuns(db),
  },
  {
    name: "packages.prices",
    what: "Applies third-party packages' price increases whose notice (AGORA_PRICE_NOTICE_DAYS) is over, each once.",
    cron: "* * * * *",
    queue: { retryLimit: 1, expireInSeconds: 300 },
    run: ({ db }) => applyDuePriceChanges(db),
  },
  {
    name: "runs.recover",
    what: "Ends child runs whose lease lapsed (interrupted, uncharged) and re-sends the job of a run found without one.",
    cron: "* * * * *",
    queue: { retryLimit: 1, expireInSeconds: 300 },
    run: ({ db, runs }) => recoverOrphanedRuns(db, runs),
  },
];
