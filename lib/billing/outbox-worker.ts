import { db } from "@/lib/db/client";
import { env } from "@/lib/env";
import { log } from "@/lib/observability/log";
import { drainOutbox } from "./outbox";
import { outboxSenders } from "./outbox-senders";
import { pruneStripeEvents } from "./webhooks/process-event";

// Each server process drains the Outbox every AGORA_OUTBOX_INTERVAL_MS (rows
// are claimed with SKIP LOCKED, so processes share it) and, hourly, prunes
// processed Stripe event ids past their retention. Started by instrumentation.ts.

const globalForOutbox = globalThis as unknown as { agoraOutbox?: NodeJS.Timeout };

export function startOutboxWorker(): void {
  if (globalForOutbox.agoraOutbox || !env().STRIPE_SECRET_KEY) return;
  let busy = false;
  let lastPrune = 0;
  globalForOutbox.agoraOutbox = setInterval(() => {
    if (busy) return;
    busy = true;
    void (async () => {
      await drainOutbox(db, outboxSenders);
      if (Date.now() - lastPrune > 3_600_000) {
        lastPrune = Date.now();
        await pruneStripeEvents();
      }
    })()
      .catch((err: Error) => log.error("outbox drain failed", { err: err.message }))
      .finally(() => (busy = false));
  }, env().AGORA_OUTBOX_INTERVAL_MS);
  globalForOutbox.agoraOutbox.unref();
}
