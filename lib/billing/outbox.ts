import type Stripe from "stripe";
import { createHash } from "node:crypto";
import type { Db } from "@/lib/db/client";
import type { Statement } from "@/lib/db/statement";
import { env } from "@/lib/env";
import type { Prisma } from "@/lib/generated/prisma/client";
import { log } from "@/lib/observability/log";
import { createStripe } from "./stripe-client";

// The Outbox (SPEC §2): side effects to third parties written in the
// transaction that causes them (a settlement, a threshold crossing), sent
// afterwards by `drainOutbox`, at least once, deduplicated twice — by our
// unique idempotency key (one row per effect) and by Stripe (meter events
// carry the run id as `identifier`; payments carry the row's idempotency key).
// Failures retry with exponential backoff and full jitter, honouring a 429's
// Retry-After; permanent refusals (4xx other than 429) stop with the error kept.
// Rows survive restarts: whatever was not sent is sent by the next process.

export type OutboxKind = "meter_event" | "auto_top_up";
export type OutboxRow = { id: string; kind: string; workspaceId: string | null; payload: Prisma.JsonValue; idempotencyKey: string; attempts: number };

export const OUTBOX_MAX_ATTEMPTS = 12;
const BASE_DELAY_MS = 1_000;
const MAX_DELAY_MS = 10 * 60_000;
const CLAIM_MS = 60_000; // a claimed row is someone's for this long

/** What waits to be sent (rows still retried), how old the oldest is, and how many were given up on. */
export async function outboxBacklog(db: Db): Promise<{ pending: number; oldestPendingAgeSeconds: number | null; gaveUp: number }> {
  const [o] = await db.$queryRaw<{ pending: bigint; oldest: Date | null; failed: bigint }[]>`
    SELECT count(*) FILTER (WHERE "attempts" < ${OUTBOX_MAX_ATTEMPTS})::bigint AS pending,
           min("createdAt") FILTER (WHERE "attempts" < ${OUTBOX_MAX_ATTEMPTS}) AS oldest,
           count(*) FILTER (WHERE "attempts" >= ${OUTBOX_MAX_ATTEMPTS})::bigint AS failed
    FROM "Outbox" WHERE "sentAt" IS NULL`;
  return { pending: Number(o!.pending), oldestPendingAgeSeconds: o!.oldest ? Math.round((Date.now() - o!.oldest.getTime()) / 1000) : null, gaveUp: Number(o!.failed) };
}

/** An Outbox row's id: derived from its idempotency key. */
const outboxId = (idempotencyKey: string) => `obx_${createHash("sha256").update(idempotencyKey).digest("hex").slice(0, 24)}`;

/**
 * CTE of the statement that causes a side effect: adds it, once per
 * idempotency key (a repeat is ignored), if `source` (a FROM … WHERE … clause)
 * yields a row; `payload` is a jsonb SQL expression over that row.
 */
export function enqueueCte(s: Statement, name: string, row: { kind: OutboxKind; workspaceId: string; idempotencyKey: string; payload: string; source: string }): string {
  return s.with(
    name,
    `INSERT INTO "Outbox" ("id", "kind", "workspaceId", "payload", "idempotencyKey")
     SELECT ${s.param(outboxId(row.idempotencyKey))}, ${s.param(row.kind)}, ${s.param(row.workspaceId)}, ${row.payload}, ${s.param(row.idempotencyKey)} ${row.source}
     ON CONFLICT ("idempotencyKey") DO NOTHING
     RETURNING 1`,
  );
}

export class PermanentFailure extends Error {}

export type Sender = (row: OutboxRow, client: Stripe) => Promise<void>;

/** Exponential backoff with full jitter; a 429's Retry-After is the floor. */
export function retryDelayMs(attempts: number, retryAfterSeconds?: number, random = Math.random): number {
  const ceiling = Math.min(MAX_DELAY_MS, BASE_DELAY_MS * 2 ** Math.min(attempts, 20));
  const jittered = Math.floor(random() * ceiling);
  return Math.max(jittered, (retryAfterSeconds ?? 0) * 1000);
}

function retryAfterOf(err: unknown): number | undefined {
  const headers = (err as { headers?: Record<string, string> }).headers;
  const value = Number(headers?.["retry-after"]);
  return Number.isFinite(value) && value > 0 ? value : undefined;
}

function permanent(err: unknown): boolean {
  if (err instanceof PermanentFailure) return true;
  const status = (err as { statusCode?: number }).statusCode;
  return status !== undefined && status >= 400 && status < 500 && status !== 429 && status !== 409;
}

let client: Stripe | undefined;
/** Outbox sends use a client without the SDK's own retries: the Outbox's policy is the one. */
function outboxStripe(): Stripe | null {
  const e = env();
  if (!e.STRIPE_SECRET_KEY) return null;
  client ??= createStripe(e.STRIPE_SECRET_KEY, e.STRIPE_API_BASE, 0);
  return client;
}

/** Sends what is due (claimed with SKIP LOCKED, so several processes share the work); returns how many were sent. */
export async function drainOutbox(db: Db, senders: Record<string, Sender>, opts: { now?: Date; batch?: number; stripe?: Stripe } = {}): Promise<number> {
  const stripeClient = opts.stripe ?? outboxStripe();
  if (!stripeClient) return 0;
  const now = opts.now ?? new Date();
  const rows = await db.$queryRaw<OutboxRow[]>`
    UPDATE "Outbox" SET "nextAttemptAt" = ${new Date(now.getTime() + CLAIM_MS)}
    WHERE "id" IN (
      SELECT "id" FROM "Outbox" WHERE "sentAt" IS NULL AND "nextAttemptAt" <= ${now} AND "attempts" < ${OUTBOX_MAX_ATTEMPTS}
      ORDER BY "nextAttemptAt" LIMIT ${opts.batch ?? 50} FOR UPDATE SKIP LOCKED)
    RETURNING "id", "kind", "workspaceId", "payload", "idempotencyKey", "attempts"`;
  let sent = 0;
  for (const row of rows) {
    const send = senders[row.kind];
    try {
      if (!send) throw new PermanentFailure(`no sender for outbox kind ${row.kind}`);
      await send(row, stripeClient);
      await db.outbox.update({ where: { id: row.id }, data: { sentAt: new Date(), attempts: { increment: 1 }, lastError: null } });
      sent++;
    } catch (err) {
      const message = (err as Error).message?.slice(0, 500) ?? String(err);
      const stop = permanent(err);
      await db.outbox.update({
        where: { id: row.id },
        data: { attempts: stop ? OUTBOX_MAX_ATTEMPTS : { increment: 1 }, lastError: message, nextAttemptAt: new Date(Date.now() + retryDelayMs(row.attempts, retryAfterOf(err))) },
      });
      log.warn(stop ? "outbox send refused; not retried" : "outbox send failed; will retry", { kind: row.kind, id: row.id, attempts: row.attempts + 1, err: message });
    }
  }
  return sent;
}
