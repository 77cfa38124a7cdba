import { z } from "zod";
import { FailureCause, RunEventType, RunStatus } from "@/lib/generated/prisma/enums";
import { instantQuery } from "@/lib/http/date-query";
import { paginationQuerySchema } from "@/lib/http/pagination";
import { isoDateTime, microsAmount } from "@/lib/http/response-schemas";

export const idempotencyKeySchema = z.string().trim().min(1).max(255);

export const createRunSchema = z.object({
  agent: z.string().trim().min(1, "Name the agent by its slug.").max(100),
  input: z.unknown().refine((v) => v !== undefined, "Required."),
  idempotencyKey: idempotencyKeySchema.optional(),
});
export type CreateRunBody = z.infer<typeof createRunSchema>;

export const runStatuses = Object.values(RunStatus);
/** Statuses a run never leaves. */
export const TERMINAL_STATUSES: ReadonlySet<string> = new Set<RunStatus>(["SUCCEEDED", "FAILED", "CANCELED"]);

export const listRunsQuerySchema = paginationQuerySchema.extend({
  status: z.enum(runStatuses).optional(),
  agent: z.string().trim().min(1).max(100).optional(),
  from: instantQuery.optional(),
  to: instantQuery.optional(),
});
export type ListRunsQuery = z.infer<typeof listRunsQuerySchema>;

// Runs on the wire (lib/runs/run-queries.ts runSummaryJson, runDetailJson, runEventsAfter).

/** A yanked version's notice (lib/packages/deprecation.ts). */
export const deprecationSchema = z.strictObject({ version: z.string(), message: z.string() });

const tokenLine = z.strictObject({ tokens: z.number().int(), costMicros: microsAmount });

/** What a finished run's price is made of (lib/runs/money/price.ts PriceBreakdown). */
export const priceBreakdownSchema = z.strictObject({
  input: tokenLine,
  output: tokenLine,
  cacheRead: tokenLine,
  cacheWrite: tokenLine,
  cacheSavingMicros: microsAmount,
  modelCostMicros: microsAmount,
  priceMultiplierBps: z.number().int(),
  platformFeeMicros: microsAmount,
  absorbedMicros: microsAmount,
  totalMicros: microsAmount,
});

export const runSummarySchema = z.strictObject({
  id: z.string(),
  agent: z.string(),
  agentName: z.string(),
  agentVersion: z.string(),
  status: z.enum(RunStatus),
  error: z.strictObject({ code: z.string(), message: z.string() }).nullable(),
  failureCause: z.enum(FailureCause).nullable(),
  provider: z.string(),
  model: z.string(),
  modelLabel: z.string(),
  outputNote: z.string().nullable(),
  usage: z.strictObject({ inputTokens: z.number().int(), outputTokens: z.number().int(), cacheWriteTokens: z.number().int(), cacheReadTokens: z.number().int() }),
  toolCalls: z.number().int(),
  retries: z.number().int(),
  costMicros: microsAmount,
  priceMicros: microsAmount,
  idempotencyKey: z.string().nullable(),
  parentRunId: z.string().nullable(),
  depth: z.number().int(),
  principal: z.strictObject({ kind: z.enum(["api_key", "user"]), id: z.string().nullable() }),
  createdAt: isoDateTime,
  startedAt: isoDateTime.nullable(),
  finishedAt: isoDateTime.nullable(),
  durationMs: z.number().int().nullable(),
  deprecation: deprecationSchema.nullable(),
});

/** A run with its input, output, child runs and (once finished) its price breakdown. */
export const runDetailSchema = runSummarySchema.extend({
  input: z.unknown(),
  output: z.unknown(),
  children: z.array(runSummarySchema),
  breakdown: priceBreakdownSchema.nullable(),
});

/** One event of a run's transcript (lib/runs/run-queries.ts RunEventJson). */
export const runEventSchema = z.strictObject({ seq: z.number().int(), type: z.enum(RunEventType), data: z.unknown(), at: isoDateTime });
