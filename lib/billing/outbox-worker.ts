import { db } from "@/lib/db/client";
import { env } from "@/lib/env";
import { log } from "@/lib/observability/log";
import { drainOutbox } from "./outbox";
import { outboxSenders } from "./outbox-senders";
import { pruneStripeEvents } from "./webhooks/process-event";

// Each server process drains the Outbox every AGORA_OUTBOX_INTERVAL_MS (rows
// are claimed with SKIP LOCKED, so processes share it) and, hourly, prunes
// processed Stripe event ids past their retention. Started by instrumentation.ts.

const globalForOutbox = globalThis as unknown as { agoraOutbox?: NodeJS.Timeout; agoraOutboxBusy?: Promise<void> };

export function startOutboxWorker(): void {
  if (globalForOutbox.agoraOutbox || !env().STRIPE_SECRET_KEY) return;
  let lastPrune = 0;
  globalForOutbox.agoraOutbox = setInterval(() => {
    if (globalForOutbox.agoraOutboxBusy) return;
    globalForOutbox.agoraOutboxBusy = (async () => {
      await drainOutbox(db, outboxSenders);
      if (Date.now() - lastPrune > 3_600_000) {
        lastPrune = Date.now();
        await pruneStripeEvents();
      }
    })()
      .catch((err: Error) => log.error("outbox drain failed", { err: err.message }))
      .finally(() => (globalForOutbox.agoraOutboxBusy = undefined));
  }, env().AGORA_OUTBOX_INTERVAL_MS);
  globalForOutbox.agoraOutbox.unref();
}

/** Stops the worker; resolves when a send in progress has finished (what is unsent stays for another process). */
export async function stopOutboxWorker(): Promise<void> {
  if (globalForOutbox.agoraOutbox) clearInterval(globalForOutbox.agoraOutbox);
  globalForOutbox.agoraOutbox = undefined;
  await globalForOutbox.agoraOutboxBusy;
}
