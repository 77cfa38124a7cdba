import { recordAudit } from "@/lib/audit/record-audit";
import type { Principal } from "@/lib/auth/principal";
import { db } from "@/lib/db/client";
import { lastEventSeq } from "@/lib/events/feed";
import { parseEventTypes } from "@/lib/events/types";
import { env } from "@/lib/env";
import type { Prisma } from "@/lib/generated/prisma/client";
import { newestFirstAfter, newestFirstPage } from "@/lib/http/cursor";
import { ApiError } from "@/lib/http/errors";
import { checkEndpointUrl, EndpointRefused, type OutboundPolicy } from "@/lib/http/outbound";
import { encryptSecret, newSigningSecret } from "@/lib/remote/secrets";
import { deliverWebhooks, dispatchWebhooks } from "./deliver";
import type { createWebhookBodySchema, DeliveryJson, updateWebhookBodySchema, WebhookJson } from "./schemas";
import type { z } from "zod";

// A workspace's webhook endpoints (API: app/api/v1/webhooks). Every query is scoped to the
// caller's workspace; an id of another workspace is a 404. Secrets are stored encrypted and
// answered only by the call that makes them.

const MAX_ENDPOINTS = 20;

const endpointSelect = {
  id: true,
  url: true,
  description: true,
  eventTypes: true,
  enabled: true,
  disabledReason: true,
  secretLast4: true,
  previousSecretExpiresAt: true,
  failingSince: true,
  createdAt: true,
} satisfies Prisma.WebhookEndpointSelect;
type EndpointRow = Prisma.WebhookEndpointGetPayload<{ select: typeof endpointSelect }>;

const endpointJson = (e: EndpointRow, at = new Date()): WebhookJson => ({
  ...e,
  previousSecretExpiresAt: e.previousSecretExpiresAt && e.previousSecretExpiresAt > at ? e.previousSecretExpiresAt.toISOString() : null,
  failingSince: e.failingSince?.toISOString() ?? null,
  createdAt: e.createdAt.toISOString(),
});

const deliverySelect = {
  id: true,
  messageId: true,
  eventSeq: true,
  eventType: true,
  state: true,
  attempts: true,
  nextAttemptAt: true,
  lastAttemptAt: true,
  lastStatusCode: true,
  lastResponseMs: true,
  lastError: true,
  createdAt: true,
} satisfies Prisma.WebhookDeliverySelect;
type DeliveryRow = Prisma.WebhookDeliveryGetPayload<{ select: typeof deliverySelect }>;

const deliveryJson = (d: DeliveryRow): DeliveryJson => ({
  ...d,
  eventSeq: Number(d.eventSeq),
  nextAttemptAt: d.nextAttemptAt?.toISOString() ?? null,
  lastAttemptAt: d.lastAttemptAt?.toISOString() ?? null,
  createdAt: d.createdAt.toISOString(),
});

/** The SSRF rules of remote packages (lib/http/outbound.ts), as a 400 naming `url` and the reason. */
export async function checkWebhookUrl(raw: string, policy?: OutboundPolicy): Promise<string> {
  try {
    return (await checkEndpointUrl(raw, policy)).toString();
  } catch (err) {
    if (!(err instanceof EndpointRefused)) throw err;
    throw new ApiError("validation_failed", `url: ${err.message}`, { issues: [{ path: "url", message: err.message }] });
  }
}

const notFound = () => new ApiError("not_found", "No such webhook endpoint in this workspace.");

async function ownEndpoint(workspaceId: string, id: string): Promise<EndpointRow> {
  const row = await db.webhookEndpoint.findFirst({ where: { id, workspaceId }, select: endpointSelect });
  if (!row) throw notFound();
  return row;
}

export async function listWebhooks(workspaceId: string): Promise<WebhookJson[]> {
  const rows = await db.webhookEndpoint.findMany({ where: { workspaceId }, orderBy: [{ createdAt: "asc" }, { id: "asc" }], select: endpointSelect });
  return rows.map((r) => endpointJson(r));
}

export async function getWebhook(workspaceId: string, id: string): Promise<WebhookJson> {
  return endpointJson(await ownEndpoint(workspaceId, id));
}

/** Adds an endpoint; it gets the events from now on. The secret is in the answer, this once. */
export async function createWebhook(principal: Principal, body: z.output<typeof createWebhookBodySchema>, ip: string | null, policy?: OutboundPolicy) {
  const workspaceId = principal.workspace.id;
  const eventTypes = parseEventTypes(body.eventTypes, "eventTypes");
  const url = await checkWebhookUrl(body.url, policy);
  const secret = newSigningSecret();
  const row = await db.$transaction(async (tx) => {
    await tx.$queryRaw`SELECT 1 FROM "Workspace" WHERE "id" = ${workspaceId} FOR UPDATE`; // the count below holds
    if ((await tx.webhookEndpoint.count({ where: { workspaceId } })) >= MAX_ENDPOINTS) throw new ApiError("conflict", `A workspace has at most ${MAX_ENDPOINTS} webhook endpoints.`);
    const created = await tx.webhookEndpoint.create({
      data: { workspaceId, url, description: body.description, eventTypes, secretCiphertext: encryptSecret(secret), secretLast4: secret.slice(-4), cursor: BigInt(await lastEventSeq(workspaceId, tx)) },
      select: endpointSelect,
    });
    await recordAudit({ action: "webhook.created", actorUserId: principal.userId, actorApiKeyId: principal.apiKeyId, workspaceId, target: created.id, metadata: { url }, ip }, tx);
    return created;
  });
  return { webhook: endpointJson(row), secret };
}

/** Changes the URL, description, filter, or enables/disables it (enabling clears the failure streak and the reason). */
export async function updateWebhook(principal: Principal, id: string, body: z.output<typeof updateWebhookBodySchema>, ip: string | null, policy?: OutboundPolicy): Promise<WebhookJson> {
  const workspaceId = principal.workspace.id;
  await ownEndpoint(workspaceId, id);
  const data: Prisma.WebhookEndpointUpdateManyMutationInput = {};
  if (body.url !== undefined) data.url = await checkWebhookUrl(body.url, policy);
  if (body.eventTypes !== undefined) data.eventTypes = parseEventTypes(body.eventTypes, "eventTypes");
  if (body.description !== undefined) data.description = body.description;
  if (body.enabled === true) Object.assign(data, { enabled: true, disabledReason: null, failingSince: null });
  if (body.enabled === false) Object.assign(data, { enabled: false, disabledReason: "Disabled by a workspace owner." });
  return db.$transaction(async (tx) => {
    const { count } = await tx.webhookEndpoint.updateMany({ where: { id, workspaceId }, data });
    if (!count) throw notFound();
    await recordAudit({ action: "webhook.updated", actorUserId: principal.userId, actorApiKeyId: principal.apiKeyId, workspaceId, target: id, metadata: { fields: Object.keys(body) }, ip }, tx);
    return endpointJson(await tx.webhookEndpoint.findUniqueOrThrow({ where: { id }, select: endpointSelect }));
  });
}

export async function deleteWebhook(principal: Principal, id: string, ip: string | null): Promise<void> {
  const workspaceId = principal.workspace.id;
  await db.$transaction(async (tx) => {
    const { count } = await tx.webhookEndpoint.deleteMany({ where: { id, workspaceId } });
    if (!count) throw notFound();
    await recordAudit({ action: "webhook.deleted", actorUserId: principal.userId, actorApiKeyId: principal.apiKeyId, workspaceId, target: id, ip }, tx);
  });
}

/** A new current secret (in the answer, this once); the old one keeps signing for AGORA_SECRET_ROTATION_HOURS (an older previous one stops now). */
export async function rotateWebhookSecret(principal: Principal, id: string, ip: string | null) {
  const workspaceId = principal.workspace.id;
  const secret = newSigningSecret();
  const row = await db.$transaction(async (tx) => {
    const [current] = await tx.$queryRaw<{ secretCiphertext: string }[]>`
      SELECT "secretCiphertext" FROM "WebhookEndpoint" WHERE "id" = ${id} AND "workspaceId" = ${workspaceId} FOR UPDATE`;
    if (!current) throw notFound();
    const previousSecretExpiresAt = new Date(Date.now() + env().AGORA_SECRET_ROTATION_HOURS * 3_600_000);
    const updated = await tx.webhookEndpoint.update({
      where: { id },
      data: { secretCiphertext: encryptSecret(secret), secretLast4: secret.slice(-4), previousSecretCiphertext: current.secretCiphertext, previousSecretExpiresAt },
      select: endpointSelect,
    });
    await recordAudit({ action: "webhook.secret_rotated", actorUserId: principal.userId, actorApiKeyId: principal.apiKeyId, workspaceId, target: id, metadata: { last4: updated.secretLast4 }, ip }, tx);
    return updated;
  });
  return { webhook: endpointJson(row), secret };
}

async function ownDelivery(workspaceId: string, endpointId: string, deliveryId: string): Promise<DeliveryRow> {
  const row = await db.webhookDelivery.findFirst({ where: { id: deliveryId, endpointId, workspaceId }, select: deliverySelect });
  if (!row) throw new ApiError("not_found", "No such delivery for this webhook endpoint.");
  return row;
}

function assertEnabled(e: EndpointRow) {
  if (!e.enabled) throw new ApiError("conflict", "This endpoint is disabled; enable it first.", { disabledReason: e.disabledReason });
}

/** Writes a `webhook.test` event for this endpoint only, dispatches it and makes the first attempt at once; answers the delivery. */
export async function sendTestEvent(principal: Principal, id: string): Promise<DeliveryJson> {
  const workspaceId = principal.workspace.id;
  assertEnabled(await ownEndpoint(workspaceId, id));
  const data = { endpointId: id, message: "A test event from Agora: your endpoint receives and verifies webhooks." };
  await db.$executeRaw`SELECT agora_emit_event(${workspaceId}, 'webhook.test', ${JSON.stringify(data)}::jsonb)`;
  await dispatchWebhooks(db, { workspaceId });
  const delivery = await db.webhookDelivery.findFirst({ where: { endpointId: id, workspaceId, eventType: "webhook.test" }, orderBy: { eventSeq: "desc" }, select: { id: true } });
  if (!delivery) throw new ApiError("conflict", "The test event could not be dispatched; try again.");
  await deliverWebhooks(db, { deliveryId: delivery.id });
  return deliveryJson(await ownDelivery(workspaceId, id, delivery.id));
}

/** Sends a delivery again now (same `webhook-id`), whatever its state; answers it after the attempt. */
export async function resendDelivery(principal: Principal, id: string, deliveryId: string): Promise<DeliveryJson> {
  const workspaceId = principal.workspace.id;
  assertEnabled(await ownEndpoint(workspaceId, id));
  await ownDelivery(workspaceId, id, deliveryId);
  const at = new Date();
  await db.webhookDelivery.updateMany({ where: { id: deliveryId, workspaceId }, data: { state: "PENDING", nextAttemptAt: at } });
  await deliverWebhooks(db, { deliveryId, now: at });
  return deliveryJson(await ownDelivery(workspaceId, id, deliveryId));
}

/** The endpoint's deliveries, newest first, a page at a time. */
export async function listDeliveries(workspaceId: string, id: string, q: { cursor?: string; limit: number }) {
  await ownEndpoint(workspaceId, id);
  const rows = await db.webhookDelivery.findMany({
    where: { endpointId: id, workspaceId, ...newestFirstAfter(q.cursor) },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: q.limit + 1,
    select: deliverySelect,
  });
  const { page, nextCursor } = newestFirstPage(rows, q.limit);
  return { data: page.map(deliveryJson), nextCursor };
}
