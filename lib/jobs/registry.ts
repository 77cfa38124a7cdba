import type { Queue } from "pg-boss";
import { countPackageRuns } from "@/lib/agents/package-counts";
import { drainOutbox } from "@/lib/billing/outbox";
import { outboxSenders } from "@/lib/billing/outbox-senders";
import { pruneStripeEvents } from "@/lib/billing/webhooks/process-event";
import type { Db } from "@/lib/db/client";
import { env, type Env } from "@/lib/env";
import { closeBidWindows } from "@/lib/exchange/award";
import { placePendingAutoBids } from "@/lib/exchange/auto-bids";
import { pruneEvents } from "@/lib/events/feed";
import { sweepContracts, sweepDeliveries } from "@/lib/exchange/contract-sweep";
import { expireHolds } from "@/lib/ledger/ledger";
import { matureEarnings } from "@/lib/ledger/earnings";
import { applyDuePriceChanges } from "@/lib/packages/price-changes";
import { deriveMissingAccepts } from "@/lib/packages/accepts";
import { computePackageStats } from "@/lib/packages/trust";
import { refreshWorkspacePackageUse } from "@/lib/agents/recommendations";
import { createPayouts } from "@/lib/payouts/payouts";
import { recoverOrphanedRuns } from "@/lib/runs/recover-runs";
import type { RunEngine } from "@/lib/runs/accept-run";
import type { RunJobs } from "@/lib/runs/run-jobs";
import { now } from "@/lib/time/clock";
import { runWebhooks } from "@/lib/webhooks/deliver";

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

/** What a handler may use. `executor`: the process's run engine, for jobs that start runs (none: they start none). */
export type JobContext = { db: Db; runs: Pick<RunJobs, "resend" | "queues">; executor?: RunEngine };

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
  {
    name: "events.prune",
    what: "Deletes workspaces' events (the event feed) older than AGORA_EVENT_RETENTION_DAYS, by the shared clock.",
    cron: "17 * * * *",
    queue: { retryLimit: 1, expireInSeconds: 600 },
    run: async ({ db }) => pruneEvents(await now(db), env().AGORA_EVENT_RETENTION_DAYS, db),
  },
  everyMinute("packages.count", "Adds the runs ended since its last run to their packages' run and success counts (the catalog's popularity and success rate) and to the per-version daily usage rollup and histograms.", ({ db }) => countPackageRuns(db)),
  {
    name: "packages.stats",
    what: "Recomputes every package's and provider's stats and trust score (90 days of the usage rollup; lib/packages/trust.ts) for the catalog and the package pages, and what each workspace ran over those days (recommendations).",
    cron: "*/10 * * * *",
    queue: { retryLimit: 1, expireInSeconds: 600 },
    run: async ({ db }) => {
      await deriveMissingAccepts(db);
      await refreshWorkspacePackageUse(db, await now(db));
      return computePackageStats(db);
    },
  },
  everyMinute("packages.prices", "Applies third-party packages' price increases whose notice (AGORA_PRICE_NOTICE_DAYS) is over, each once, by the shared clock.", async ({ db }) => applyDuePriceChanges(db, await now(db))),
  everyMinute("exchange.bids", "Places packages' automatic bids on newly posted work, then closes bid windows: auto-awards the best-ranked bid, or refunds work with nothing to award.", async ({ db }) => {
    const at = await now(db);
    return { autoBids: await placePendingAutoBids(db, at), closed: await closeBidWindows(db, at) };
  }),
  everyMinute("runs.recover", "Ends child runs whose lease lapsed (interrupted, uncharged) and re-sends the job of a run found without one.", ({ db, runs }) => recoverOrphanedRuns(db, runs)),
  everyMinute("exchange.contracts", "Exchange contracts: starts delivery runs, checks ended ones, refunds works past their delivery deadline, auto-accepts deliveries passed 72 h ago (by the shared clock).", async ({ db, executor }) => sweepContracts(db, await now(db), { executor })),
  {
    name: "exchange.deliver",
    what: "Exchange deliveries, between the minute sweeps: starts the delivery runs of newly awarded package bids and checks deliveries whose run ended.",
    cron: "* * * * *",
    everyMs: () => 5_000,
    queue: { retryLimit: 0, expireInSeconds: 300 },
    run: async ({ db, executor }) => sweepDeliveries(db, await now(db), { executor }),
  },
  {
    name: "webhooks.deliver",
    what: "Outgoing webhooks: turns new events into deliveries for each enabled endpoint (its filter, its cursor), then sends what is due, signed, retrying on the schedule; disables an endpoint failing for 5 days.",
    cron: "* * * * *",
    everyMs: () => 5_000,
    enabled: (e) => e.AGORA_WEBHOOKS_JOB === "on",
    // No retries: the next link of the chain is the retry.
    queue: { retryLimit: 0, expireInSeconds: 300 },
    run: async ({ db }) => runWebhooks(db, await now(db)),
  },
];
