import { z } from "zod";
import { eventSchema } from "@/lib/events/feed";
import { paginationQuery } from "@/lib/http/pagination";
import { idParam } from "@/lib/http/params";
import { isoDate, pageOf, wholeNumber } from "@/lib/http/wire";
import { priceBreakdownSchema } from "@/lib/runs/response-schemas";

// Outgoing webhooks (issue 22, item 3): what the API takes and answers, and what a receiver gets.

const url = z.string().trim().min(1, "Give the endpoint's URL.").max(2000, "At most 2,000 characters.");
const description = z.string().trim().max(500, "At most 500 characters.");
/** Exact types or groups (`run.*`); checked against EVENT_TYPES by the handler (lib/events/types.ts parseEventTypes). Empty = every event. */
const eventTypes = z.array(z.string().max(100)).max(100, "At most 100 filters.");

export const createWebhookBodySchema = z.object({ url, description: description.default(""), eventTypes: eventTypes.default([]) });
export const updateWebhookBodySchema = z
  .object({ url, description, eventTypes, enabled: z.boolean() })
  .partial()
  .refine((b) => Object.keys(b).length > 0, "Give at least one of url, description, eventTypes, enabled.");

export const webhookParams = z.object({ id: idParam });
export const deliveryParams = z.object({ id: idParam, deliveryId: idParam });
export const deliveriesQuerySchema = paginationQuery({ defaultLimit: 20, maxLimit: 100 });

export const webhookSchema = z.object({
  id: z.string(),
  url: z.string(),
  description: z.string(),
  eventTypes: z.array(z.string()),
  enabled: z.boolean(),
  disabledReason: z.string().nullable(),
  /** The current secret's last four characters (the secret itself is shown once). */
  secretLast4: z.string(),
  /** During a rotation: when the previous secret stops signing. */
  previousSecretExpiresAt: isoDate.nullable(),
  failingSince: isoDate.nullable(),
  createdAt: isoDate,
});
export type WebhookJson = z.infer<typeof webhookSchema>;
export const webhookListSchema = z.object({ data: z.array(webhookSchema) });
/** Creation and rotation: the secret, this once. */
export const webhookWithSecretSchema = z.object({ webhook: webhookSchema, secret: z.string() });

export const deliveryStates = ["PENDING", "SUCCEEDED", "FAILED"] as const;
export const deliverySchema = z.object({
  id: z.string(),
  /** The Standard Webhooks `webhook-id`: the same on every attempt. */
  messageId: z.string(),
  eventSeq: wholeNumber,
  eventType: z.string(),
  state: z.enum(deliveryStates),
  attempts: wholeNumber,
  nextAttemptAt: isoDate.nullable(),
  lastAttemptAt: isoDate.nullable(),
  lastStatusCode: wholeNumber.nullable(),
  lastResponseMs: wholeNumber.nullable(),
  lastError: z.string().nullable(),
  createdAt: isoDate,
});
export type DeliveryJson = z.infer<typeof deliverySchema>;
export const deliveryPageSchema = pageOf(deliverySchema);

/** A terminal run's receipt: what was held, charged and released, what the price is made of, and the wallet's transfers for the run. */
export const receiptSchema = z.object({
  runId: z.string(),
  agent: z.string(),
  version: z.string(),
  status: z.string(),
  /** The hold placed when the run was accepted. */
  holdMicros: wholeNumber,
  /** What the hold's resolution moved (= priceMicros = breakdown.totalMicros). */
  chargedMicros: wholeNumber,
  /** Held but not charged: released back to the wallet. */
  releasedMicros: wholeNumber,
  priceMicros: wholeNumber,
  breakdown: priceBreakdownSchema.nullable(),
  tokens: z.object({ input: wholeNumber, output: wholeNumber, cacheWrite: wholeNumber, cacheRead: wholeNumber }),
  /** The transfers on the workspace's wallet for this run (the hold and its resolution, any refund), oldest first. */
  transfers: z.array(z.object({ id: z.string(), kind: z.string(), reason: z.string(), amountMicros: wholeNumber, direction: z.enum(["debit", "credit"]), resolves: z.string().nullable(), createdAt: isoDate })),
});
export type Receipt = z.infer<typeof receiptSchema>;

/** The body of every delivery: Standard Webhooks' `{type, timestamp, data}`, data = the feed event (and, for a run's end, its receipt). */
export const webhookPayloadSchema = z.object({
  type: z.string(),
  timestamp: isoDate,
  data: eventSchema.extend({ receipt: receiptSchema.optional() }),
});
export type WebhookPayload = z.infer<typeof webhookPayloadSchema>;
