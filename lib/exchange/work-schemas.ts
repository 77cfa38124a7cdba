import { z } from "zod";
import { DeliveryVerdict, DisputeOutcome, WorkStatus, WorkVisibility } from "@/lib/generated/prisma/enums";
import { instantQuery } from "@/lib/http/date-query";
import { paginationQuery } from "@/lib/http/pagination";
import { idParam, slugParam } from "@/lib/http/params";
import { isoDateTime, microsAmount } from "@/lib/http/response-schemas";
import { parseWith } from "@/lib/http/validate";
import { capabilityTag } from "@/lib/packages/manifest";
import { idempotencyKeySchema } from "@/lib/runs/schemas";

// The exchange's request bodies and queries (issue 21 items 1–3): what a buyer
// posts, what a provider bids, what a buyer awards. The acceptance criteria are
// validated by compileAcceptance (lib/exchange/acceptance.ts) so that a problem
// deep in the output schema is a 400 naming its path.

export const MAX_DESCRIPTION_CHARS = 20_000;
export const MAX_INPUT_BYTES = 256 * 1024;
export const MAX_CAPABILITIES = 10;
/** The largest budget one work may hold: $100,000. */
export const MAX_BUDGET_MICROS = 100_000_000_000;

/** An ISO-8601 time with its zone, or a Date (a body parsed once already, as the routes pass it on). */
const deadline = z.union([z.date(), instantQuery]);

const jsonInput = z.unknown().refine((v) => v !== undefined && Buffer.byteLength(JSON.stringify(v)) <= MAX_INPUT_BYTES, `At most ${MAX_INPUT_BYTES / 1024} KB of JSON.`);

export const postWorkBodySchema = z
  .object({
    title: z.string().trim().min(3).max(200),
    description: z.string().max(MAX_DESCRIPTION_CHARS).default(""),
    input: jsonInput.default({}),
    documentIds: z.array(idParam).max(20).default([]),
    acceptance: z.unknown(), // compileAcceptance: errors name acceptance.<path>
    budgetMicros: z.number().int().min(1, "The budget must be more than $0.").max(MAX_BUDGET_MICROS),
    capabilities: z.array(capabilityTag).min(1).max(MAX_CAPABILITIES),
    visibility: z.enum(["PUBLIC", "INVITED"]).default("PUBLIC"),
    invitedProviders: z.array(slugParam).max(50).default([]),
    autoAward: z.boolean().default(false),
    bidDeadline: deadline,
    deliveryDeadline: deadline,
  })
  .strict()
  .refine((b) => b.bidDeadline <= b.deliveryDeadline, { path: ["deliveryDeadline"], message: "The delivery deadline cannot be before the bid deadline." })
  .refine((b) => b.visibility === "PUBLIC" || b.invitedProviders.length > 0, { path: ["invitedProviders"], message: "Invite at least one provider, or post the work publicly." });
export type PostWorkBody = z.input<typeof postWorkBodySchema>;

export const placeBidBodySchema = z
  .object({
    package: slugParam.optional(), // one of the caller provider's published packages; absent = a hand bid delivered by upload
    priceMicros: z.number().int().min(1, "A bid must be more than $0.").max(MAX_BUDGET_MICROS),
    promisedMinutes: z.number().int().min(1).max(60 * 24 * 365),
    note: z.string().max(2_000).default(""),
  })
  .strict();
export type PlaceBidBody = z.input<typeof placeBidBodySchema>;

export const awardBodySchema = z.object({ bidId: idParam }).strict();

export const listWorkQuerySchema = paginationQuery().extend({
  scope: z.enum(["open", "mine"]).default("open"),
  capability: capabilityTag.optional(),
});
export type ListWorkQuery = z.output<typeof listWorkQuerySchema>;

export const workParams = z.object({ id: idParam });
export const bidParams = z.object({ id: idParam, bidId: idParam });

/** The optional Idempotency-Key header of a work action (a retry under it is the same action). */
export function idempotencyKeyHeader(headers: Headers): string | undefined {
  const key = headers.get("idempotency-key");
  return key === null ? undefined : parseWith(idempotencyKeySchema, key);
}

// The exchange on the wire (lib/exchange/work-json.ts: workJson, contractJson, deliveryJson).

export const deliverySchema = z.strictObject({
  id: z.string(),
  attempt: z.number().int(),
  runId: z.string().nullable(),
  verdict: z.enum(DeliveryVerdict),
  checks: z.array(z.strictObject({ name: z.string(), passed: z.boolean(), message: z.string() })),
  output: z.unknown(),
  createdAt: isoDateTime,
  checkedAt: isoDateTime.nullable(),
});

export const contractSchema = z.strictObject({
  id: z.string(),
  bidId: z.string(),
  provider: z.strictObject({ slug: z.string(), name: z.string() }),
  package: z.strictObject({ slug: z.string(), version: z.string() }).nullable(),
  priceMicros: microsAmount,
  feeBps: z.number().int(),
  deliveryDeadline: isoDateTime,
  attempts: z.number().int(),
  passedAt: isoDateTime.nullable(),
  autoAcceptAt: isoDateTime.nullable(),
  disputedAt: isoDateTime.nullable(),
  disputeReason: z.string().nullable(),
  outcome: z.enum(DisputeOutcome).nullable(),
  refundMicros: microsAmount.nullable(),
  resolutionReason: z.string().nullable(),
  settledAt: isoDateTime.nullable(),
  deliveries: z.array(deliverySchema),
});

/** A work as its viewer sees it (`mine`: posted by the viewer's workspace). */
export const workSchema = z.strictObject({
  id: z.string(),
  title: z.string(),
  description: z.string(),
  status: z.enum(WorkStatus),
  budgetMicros: microsAmount,
  capabilities: z.array(z.string()),
  visibility: z.enum(WorkVisibility),
  autoAward: z.boolean(),
  bidDeadline: isoDateTime,
  deliveryDeadline: isoDateTime,
  createdAt: isoDateTime,
  acceptance: z.unknown(),
  input: z.unknown(),
  documentIds: z.array(z.string()),
  bidCount: z.number().int(),
  mine: z.boolean(),
  contract: contractSchema.nullable(),
});
