import type { Queue } from "pg-boss";
import { countPackageRuns } from "@/lib/agents/package-counts";
import { drainOutbox } from "@/lib/billing/outbox";
import { outboxSenders } from "@/lib/billing/outbox-senders";
import { pruneStripeEvents } from "@/lib/billing/webhooks/process-event";
import type { Db } from "@/lib/db/client";
import type { Env } from "@/lib/env";
import { expireHolds } from "@/lib/ledger/ledger";
import { matureEarnings } from "@/lib/ledger/earnings";
import { applyDuePriceChanges } from "@/lib/packages/price-changes";
import { createPayouts } from "@/lib/payouts/payouts";
import { recoverOrphanedRuns } from "@/lib/runs/recover-runs";
import type { RunJobs } from "@/lib/runs/run-jobs";
import { now } from "@/lib/time/clock";

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

/** A sweep: every minute, retried once, given five minutes. */
const everyMinute = (name: string, what: string, run: BackgroundJob["run"]): BackgroundJob => ({ name, what, cron: "* * * * *", queue: { retryLimit: 1, expireInSeconds: 300 }, run });

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
  everyMinute("holds.expire", "Expires credit holds past their expiry (a run that never settled) and releases their budget reservation.", ({ db }) => expireHolds(db)),
  everyMinute("earnings.mature", "Matures providers' run shares past AGORA_EARNINGS_MATURITY_DAYS (pending → payable), by the shared clock.", ({ db }) => matureEarnings(db)),
  {
    name: "payouts.weekly",
    what: "Books each Connect-onboarded provider's matured earnings (≥ AGORA_PAYOUT_MINIMUM_MICROS) as this ISO week's payout; the Outbox sends the transfer.",
    cron: "0 6 * * 1",
    enabled: stripeConfigured,
    queue: { retryLimit: 1, expireInSeconds: 600 },
    run: ({ db }) => createPayouts(db),
  },
  {
    name: "stripe.prune",
    what: "Deletes processed Stripe event ids past their retention (webhook deduplication).",
    cron: "7 * * * *",
    enabled: stripeConfigured,
    queue: { retryLimit: 1, expireInSeconds: 300 },
    run: () => pruneStripeEvents(),
  },
  everyMinute("packages.count", "Adds the runs ended since its last run to their packages' run and success counts (the catalog's popularity and success rate).", ({ db }) => countPackageRuns(db)),
  everyMinute("packages.prices", "Applies third-party packages' price increases whose notice (AGORA_PRICE_NOTICE_DAYS) is over, each once, by the shared clock.", async ({ db }) => applyDuePriceChanges(db, await now(db))),
  everyMinute("runs.recover", "Ends child runs whose lease lapsed (interrupted, uncharged) and re-sends the job of a run found without one.", ({ db, runs }) => recoverOrphanedRuns(db, runs)),
];
