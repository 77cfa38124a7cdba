import { randomUUID } from "node:crypto";
import { Webhook } from "standardwebhooks";
import { db as defaultDb, type Db, type DbTx } from "@/lib/db/client";
import { listEvents, type FeedEvent } from "@/lib/events/feed";
import { matchesEventTypes } from "@/lib/events/types";
import type { Prisma } from "@/lib/generated/prisma/client";
import { EndpointRefused, outboundFetch, type OutboundPolicy } from "@/lib/http/outbound";
import { log } from "@/lib/observability/log";
import { decryptSecret } from "@/lib/remote/secrets";
import { runReceipt } from "./receipt";
import type { WebhookPayload } from "./schemas";

// Outgoing webhooks on the job engine (lib/jobs/registry.ts `webhooks.deliver`):
// - dispatch: each enabled endpoint's events after its cursor that pass its filter become
//   deliveries, and the cursor moves past them, in one transaction (the endpoint row locked, SKIP
//   LOCKED: several processes share the endpoints). The body is fixed then, so every attempt
//   sends the same bytes under the same `webhook-id`.
// - deliver: due deliveries are claimed (SKIP LOCKED, the claim pushes nextAttemptAt forward so a
//   stopped worker's rows come back), POSTed signed (Standard Webhooks, with every live secret:
//   the current one and, during a rotation, the previous), through the same SSRF-checked client as
//   remote packages (lib/http/outbound.ts: the URL and the resolved addresses checked at call time).
//   A 2xx is success; anything else is retried on RETRY_SCHEDULE_MS; an endpoint failing for
//   DISABLE_AFTER_MS is disabled, with a `webhook.disabled` event written in that transaction.

/** Standard Webhooks' suggested schedule, continued at 10 h: each entry is the wait after that attempt fails (~2.8 days in all). */
export const RETRY_SCHEDULE_MS = [5_000, 5 * 60_000, 30 * 60_000, 2 * 3_600_000, 5 * 3_600_000, ...Array<number>(6).fill(10 * 3_600_000)];
/** Attempts before a delivery is given up: the first and one per schedule entry. */
export const MAX_ATTEMPTS = RETRY_SCHEDULE_MS.length + 1;
/** An endpoint failing (no 2xx) for this long is disabled. */
export const DISABLE_AFTER_MS = 5 * 86_400_000;
export const DELIVERY_TIMEOUT_MS = 15_000;
const CLAIM_MS = 60_000;
const RUN_END = new Set(["run.succeeded", "run.failed", "run.canceled"]);

/** Whether an endpoint gets an event: its filter passes it, and a test event goes only to the endpoint it was made for. */
export function endpointWants(endpoint: { id: string; eventTypes: string[] }, event: FeedEvent): boolean {
  if (event.type === "webhook.test") return event.data.endpointId === endpoint.id;
  return matchesEventTypes(endpoint.eventTypes, event.type);
}

async function payloadOf(workspaceId: string, event: FeedEvent, tx: DbTx): Promise<WebhookPayload> {
  const runId = typeof event.data.runId === "string" ? event.data.runId : null;
  const receipt = RUN_END.has(event.type) && runId ? await runReceipt(workspaceId, runId, tx) : null;
  return { type: event.type, timestamp: event.createdAt, data: receipt ? { ...event, receipt } : event };
}

const DISPATCH_PAGE = 500;

/** Turns new events into deliveries (see above); `workspaceId` narrows it to one workspace's endpoints. Returns how many deliveries were made. */
export async function dispatchWebhooks(db: Db = defaultDb, opts: { workspaceId?: string; now?: Date } = {}): Promise<number> {
  const at = opts.now ?? new Date();
  const behind = await db.$queryRaw<{ id: string }[]>`
    SELECT e."id" FROM "WebhookEndpoint" e JOIN "EventCounter" c ON c."workspaceId" = e."workspaceId"
    WHERE e."enabled" AND e."cursor" < c."seq" AND (${opts.workspaceId ?? null}::text IS NULL OR e."workspaceId" = ${opts.workspaceId ?? null})
    ORDER BY e."updatedAt" LIMIT 200`;
  let made = 0;
  for (const { id } of behind) {
    made += await db.$transaction(async (tx) => {
      const [endpoint] = await tx.$queryRaw<{ id: string; workspaceId: string; eventTypes: string[]; cursor: bigint }[]>`
        SELECT "id", "workspaceId", "eventTypes", "cursor" FROM "WebhookEndpoint" WHERE "id" = ${id} AND "enabled" FOR UPDATE SKIP LOCKED`;
      if (!endpoint) return 0;
      const page = await listEvents(endpoint.workspaceId, { after: Number(endpoint.cursor), limit: DISPATCH_PAGE, types: [] }, tx);
      const wanted = page.data.filter((e) => endpointWants(endpoint, e));
      const rows: Prisma.WebhookDeliveryCreateManyInput[] = [];
      for (const event of wanted) {
        rows.push({
          endpointId: endpoint.id,
          workspaceId: endpoint.workspaceId,
          eventSeq: BigInt(event.seq),
          eventType: event.type,
          payload: (await payloadOf(endpoint.workspaceId, event, tx)) as Prisma.InputJsonValue,
          messageId: `msg_${randomUUID().replaceAll("-", "")}`,
          nextAttemptAt: at,
        });
      }
      if (rows.length) await tx.webhookDelivery.createMany({ data: rows });
      await tx.webhookEndpoint.update({ where: { id: endpoint.id }, data: { cursor: BigInt(page.nextAfter) } });
      return rows.length;
    });
  }
  return made;
}

type Claimed = {
  id: string;
  endpointId: string;
  workspaceId: string;
  messageId: string;
  payload: Prisma.JsonValue;
  attempts: number;
  state: string;
  url: string;
  secretCiphertext: string;
  previousSecretCiphertext: string | null;
  previousSecretExpiresAt: Date | null;
  failingSince: Date | null;
};

/** Claims due deliveries of enabled endpoints (or the one `deliveryId`, if due). */
async function claim(db: Db, at: Date, opts: { batch: number; deliveryId?: string; endpointId?: string }): Promise<Claimed[]> {
  const only = opts.deliveryId ?? null;
  const endpoint = opts.endpointId ?? null;
  return db.$queryRaw<Claimed[]>`
    WITH due AS (
      SELECT d."id" FROM "WebhookDelivery" d JOIN "WebhookEndpoint" e ON e."id" = d."endpointId"
      WHERE d."state" = 'PENDING' AND d."nextAttemptAt" <= ${at} AND e."enabled" AND (${only}::text IS NULL OR d."id" = ${only}) AND (${endpoint}::text IS NULL OR d."endpointId" = ${endpoint})
      ORDER BY d."nextAttemptAt" LIMIT ${opts.batch} FOR UPDATE OF d SKIP LOCKED
    ), claimed AS (
      UPDATE "WebhookDelivery" d SET "nextAttemptAt" = ${new Date(at.getTime() + CLAIM_MS)} FROM due WHERE d."id" = due."id"
      RETURNING d."id", d."endpointId", d."workspaceId", d."messageId", d."payload", d."attempts", d."state"::text AS "state"
    )
    SELECT c.*, e."url", e."secretCiphertext", e."previousSecretCiphertext", e."previousSecretExpiresAt", e."failingSince"
    FROM claimed c JOIN "WebhookEndpoint" e ON e."id" = c."endpointId"`;
}

/** The Standard Webhooks headers for `body`: one signature per live secret, space-separated. */
export function signedHeaders(secrets: string[], messageId: string, body: string, timestamp = new Date()): Record<string, string> {
  return {
    "webhook-id": messageId,
    "webhook-timestamp": String(Math.floor(timestamp.getTime() / 1000)),
    "webhook-signature": secrets.map((s) => new Webhook(s).sign(messageId, timestamp, body)).join(" "),
  };
}

/** The endpoint's secrets that sign at `at`: the current one, and the previous until it expires. */
export function liveWebhookSecrets(e: Pick<Claimed, "secretCiphertext" | "previousSecretCiphertext" | "previousSecretExpiresAt">, at: Date): string[] {
  const previous = e.previousSecretCiphertext && e.previousSecretExpiresAt && e.previousSecretExpiresAt > at ? [decryptSecret(e.previousSecretCiphertext)] : [];
  return [decryptSecret(e.secretCiphertext), ...previous];
}

type Outcome = { ok: boolean; statusCode: number | null; ms: number | null; error: string | null };

async function post(d: Claimed, at: Date, policy?: OutboundPolicy): Promise<Outcome> {
  const body = JSON.stringify(d.payload);
  const started = performance.now();
  try {
    // The signature's timestamp is the real time: receivers check it against their own clock.
    const headers = { "content-type": "application/json", "user-agent": "Agora-Webhooks/1", ...signedHeaders(liveWebhookSecrets(d, at), d.messageId, body) };
    const res = await outboundFetch({ policy })(d.url, { method: "POST", headers, body, signal: AbortSignal.timeout(DELIVERY_TIMEOUT_MS) });
    await res.body?.cancel().catch(() => undefined); // the answer's body is not read: only its status counts
    const ms = Math.round(performance.now() - started);
    return { ok: res.status >= 200 && res.status < 300, statusCode: res.status, ms, error: res.status >= 200 && res.status < 300 ? null : `HTTP ${res.status}` };
  } catch (err) {
    const e = err as Error;
    const why = err instanceof EndpointRefused ? `Refused: ${e.message}` : e.name === "TimeoutError" ? `No answer within ${DELIVERY_TIMEOUT_MS / 1000} s.` : e.message || String(err);
    return { ok: false, statusCode: null, ms: null, error: why.slice(0, 500) };
  }
}

/** Records an attempt's outcome: the delivery's state and next attempt, the endpoint's failing streak, and disabling it after DISABLE_AFTER_MS. */
async function record(db: Db, d: Claimed, o: Outcome, at: Date): Promise<void> {
  const attempts = d.attempts + 1;
  await db.$transaction(async (tx) => {
    const retry = !o.ok && attempts < MAX_ATTEMPTS;
    await tx.webhookDelivery.update({
      where: { id: d.id },
      data: {
        attempts,
        state: o.ok ? "SUCCEEDED" : retry ? "PENDING" : "FAILED",
        nextAttemptAt: retry ? new Date(at.getTime() + RETRY_SCHEDULE_MS[attempts - 1]!) : null,
        lastStatusCode: o.statusCode,
        lastResponseMs: o.ms,
        lastError: o.error,
        lastAttemptAt: at,
      },
    });
    if (o.ok) {
      await tx.webhookEndpoint.updateMany({ where: { id: d.endpointId, failingSince: { not: null } }, data: { failingSince: null } });
      return;
    }
    const [endpoint] = await tx.$queryRaw<{ failingSince: Date | null; enabled: boolean; url: string }[]>`
      UPDATE "WebhookEndpoint" SET "failingSince" = coalesce("failingSince", ${at}) WHERE "id" = ${d.endpointId}
      RETURNING "failingSince", "enabled", "url"`;
    if (!endpoint?.enabled || !endpoint.failingSince || at.getTime() - endpoint.failingSince.getTime() < DISABLE_AFTER_MS) return;
    const reason = `Every delivery failed since ${endpoint.failingSince.toISOString()} (last: ${o.error ?? "no answer"}).`;
    await tx.webhookEndpoint.update({ where: { id: d.endpointId }, data: { enabled: false, disabledReason: reason } });
    const data = { endpointId: d.endpointId, url: endpoint.url, failingSince: endpoint.failingSince.toISOString(), reason };
    await tx.$executeRaw`SELECT agora_emit_event(${d.workspaceId}, 'webhook.disabled', ${JSON.stringify(data)}::jsonb)`;
    log.warn("webhook endpoint disabled after failing for days", { endpointId: d.endpointId, workspaceId: d.workspaceId });
  });
}

/** `deliveryId` / `endpointId`: only that delivery / that endpoint's (the API's "test" and "resend"; tests). */
export type DeliverOptions = { now?: Date; batch?: number; policy?: OutboundPolicy; deliveryId?: string; endpointId?: string };

/** Sends what is due (several at once); returns how many succeeded. `now` drives the schedule (tests pass one; the job passes the shared clock). */
export async function deliverWebhooks(db: Db = defaultDb, opts: DeliverOptions = {}): Promise<number> {
  const at = opts.now ?? new Date();
  const due = await claim(db, at, { batch: opts.batch ?? 20, deliveryId: opts.deliveryId, endpointId: opts.endpointId });
  const outcomes = await Promise.all(
    due.map(async (d) => {
      const o = await post(d, at, opts.policy);
      // An endpoint deleted meanwhile takes its deliveries with it: nothing left to record.
      try {
        await record(db, d, o, at);
      } catch (err) {
        log.warn("webhook delivery outcome not recorded", { deliveryId: d.id, err: (err as Error).message });
        return false;
      }
      if (!o.ok) log.warn("webhook delivery failed", { deliveryId: d.id, endpointId: d.endpointId, attempts: d.attempts + 1, statusCode: o.statusCode, err: o.error });
      return o.ok;
    }),
  );
  return outcomes.filter(Boolean).length;
}

/** The job: dispatch new events, then send what is due. */
export async function runWebhooks(db: Db, at: Date): Promise<{ dispatched: number; delivered: number }> {
  const dispatched = await dispatchWebhooks(db, { now: at });
  return { dispatched, delivered: await deliverWebhooks(db, { now: at }) };
}
