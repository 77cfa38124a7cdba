import { z } from "zod";
import { pageOf } from "@/lib/http/wire";
import { BidStatus, DeliveryVerdict, DisputeOutcome, WorkStatus, WorkVisibility } from "@/lib/generated/prisma/enums";
import { acceptanceSchema } from "./acceptance";

// The exchange's JSON (lib/exchange/work-json.ts) as zod schemas of the wire: each
// /api/v1/work… and /api/v1/provider/{bids,contracts} route declares its success
// body with them (its `response`), for the API description and the tests' check.

const at = z.iso.datetime();
const micros = z.number().int();
const providerRef = z.object({ slug: z.string(), name: z.string() });

export const workStatusSchema = z.enum(WorkStatus);

export const deliveryCheckSchema = z.object({
  name: z.string(),
  passed: z.boolean(),
  message: z.string(),
  /** An evaluator check still waiting for its run. */
  pending: z.boolean().optional(),
});

/** deliveryJson: one delivery of a contract, with its checks' verdict (PENDING while checked). */
export const deliveryJsonSchema = z.object({
  id: z.string(),
  attempt: z.number().int(),
  runId: z.string().nullable(),
  verdict: z.enum(DeliveryVerdict),
  checks: z.array(deliveryCheckSchema),
  output: z.unknown().nullable(),
  createdAt: at,
  checkedAt: at.nullable(),
});

/** contractJson: an awarded work's contract and its deliveries. */
export const contractJsonSchema = z.object({
  id: z.string(),
  bidId: z.string(),
  provider: providerRef,
  package: z.object({ slug: z.string(), version: z.string() }).nullable(),
  priceMicros: micros,
  feeBps: z.number().int(),
  deliveryDeadline: at,
  attempts: z.number().int(),
  passedAt: at.nullable(),
  autoAcceptAt: at.nullable(),
  disputedAt: at.nullable(),
  disputeReason: z.string().nullable(),
  outcome: z.enum(DisputeOutcome).nullable(),
  refundMicros: micros.nullable(),
  resolutionReason: z.string().nullable(),
  settledAt: at.nullable(),
  deliveries: z.array(deliveryJsonSchema),
});

/** workJson: a work as the viewer sees it (`mine`: the viewer's workspace posted it). */
export const workJsonSchema = z.object({
  id: z.string(),
  title: z.string(),
  description: z.string(),
  status: workStatusSchema,
  budgetMicros: micros,
  capabilities: z.array(z.string()),
  visibility: z.enum(WorkVisibility),
  autoAward: z.boolean(),
  bidDeadline: at,
  deliveryDeadline: at,
  createdAt: at,
  acceptance: acceptanceSchema,
  input: z.unknown(),
  documentIds: z.array(z.string()),
  bidCount: z.number().int(),
  mine: z.boolean(),
  contract: contractJsonSchema.nullable(),
});

/** A bid's score for the buyer (lib/exchange/evaluation.ts BidRank): each part in 0..1, and where it came from. */
export const bidRankSchema = z.object({ score: z.number(), price: z.number(), trust: z.number(), fit: z.number(), time: z.number(), explanation: z.string() });

/** bidJson: a bid; `rank` only in the buyer's view of its work. */
export const bidJsonSchema = z.object({
  id: z.string(),
  workId: z.string(),
  provider: providerRef.extend({ verified: z.boolean() }),
  package: z.object({ slug: z.string(), version: z.string(), name: z.string() }).nullable(),
  auto: z.boolean(),
  priceMicros: micros,
  promisedMinutes: z.number().int(),
  note: z.string(),
  status: z.enum(BidStatus),
  createdAt: at,
  rank: bidRankSchema.optional(),
});

export const workEventJsonSchema = z.object({
  id: z.string(),
  type: z.string(),
  fromStatus: workStatusSchema.nullable(),
  toStatus: workStatusSchema.nullable(),
  data: z.unknown(),
  createdAt: at,
});

/** GET /api/v1/work/:id: the work with the bids and the history the caller may see. */
export const workDetailJsonSchema = workJsonSchema.extend({ bids: z.array(bidJsonSchema), events: z.array(workEventJsonSchema) });

/** GET /api/v1/work. */
export const workPageSchema = pageOf(workJsonSchema);

/** GET /api/v1/provider/bids: each bid with its work's title, status and deadlines. */
export const providerBidPageSchema = pageOf(
  bidJsonSchema.extend({ work: z.object({ id: z.string(), title: z.string(), status: workStatusSchema, bidDeadline: at, deliveryDeadline: at }) }),
);

/** GET /api/v1/provider/contracts: each contract with its work's title and status. */
export const providerContractPageSchema = pageOf(contractJsonSchema.extend({ work: z.object({ id: z.string(), title: z.string(), status: workStatusSchema }) }));
