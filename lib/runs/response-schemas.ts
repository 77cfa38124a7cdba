import { z } from "zod";
import { isoDate, pageOf, wholeNumber } from "@/lib/http/wire";
import { runStatuses } from "./schemas";

// What the run routes send, as it is on the wire (lib/http/route.ts `response`): the API description
// documents these, and tests check every run body against them. They mirror run-queries.ts runSummaryJson,
// runDetailJson and runEventsAfter, and money/quote.ts quoteRun.

const micros = wholeNumber;

/** A yanked version's notice (lib/packages/deprecation.ts). */
export const deprecationSchema = z.object({ version: z.string(), message: z.string() }).meta({ id: "Deprecation" });

export const runSummarySchema = z
  .object({
    id: z.string(),
    agent: z.string(),
    agentName: z.string(),
    agentVersion: z.string(),
    status: z.enum(runStatuses),
    error: z.object({ code: z.string(), message: z.string() }).nullable(),
    failureCause: z.enum(["consumer_input", "provider", "platform", "canceled"]).nullable(),
    provider: z.string().nullable(),
    model: z.string().nullable(),
    modelLabel: z.string().nullable(),
    outputNote: z.string().nullable(),
    usage: z.object({ inputTokens: z.number().int(), outputTokens: z.number().int(), cacheWriteTokens: z.number().int(), cacheReadTokens: z.number().int() }),
    toolCalls: z.number().int(),
    retries: z.number().int(),
    costMicros: micros,
    priceMicros: micros,
    idempotencyKey: z.string().nullable(),
    parentRunId: z.string().nullable(),
    depth: z.number().int(),
    principal: z.object({ kind: z.enum(["api_key", "user"]), id: z.string().nullable() }),
    createdAt: isoDate,
    startedAt: isoDate.nullable(),
    finishedAt: isoDate.nullable(),
    durationMs: z.number().int().nullable(),
    deprecation: deprecationSchema.nullable(),
  })
  .meta({ id: "RunSummary" });

const tokenLine = z.object({ tokens: z.number().int(), costMicros: micros });

/** What a finished run's price is made of (money/price.ts priceBreakdown + withCharge). */
export const priceBreakdownSchema = z
  .object({
    input: tokenLine,
    output: tokenLine,
    cacheRead: tokenLine,
    cacheWrite: tokenLine,
    cacheSavingMicros: micros,
    modelCostMicros: micros,
    priceMultiplierBps: z.number().int(),
    platformFeeMicros: micros,
    absorbedMicros: micros,
    totalMicros: micros,
  })
  .meta({ id: "PriceBreakdown" });

export const runDetailSchema = runSummarySchema
  .extend({ input: z.unknown(), output: z.unknown(), children: z.array(runSummarySchema), breakdown: priceBreakdownSchema.nullable() })
  .meta({ id: "Run" });

export const runPageSchema = pageOf(runSummarySchema);

export const quoteResponseSchema = z.object({
  agent: z.string(),
  version: z.string(),
  deprecation: deprecationSchema.nullable(),
  provider: z.string(),
  model: z.string(),
  baseFeeMicros: micros,
  priceMultiplierBps: z.number().int(),
  expected: z.object({ p50Micros: micros, p95Micros: micros, basis: z.enum(["recent_runs", "estimate"]), sampleSize: z.number().int() }),
  billableEvents: z.array(z.object({ name: z.string(), description: z.string(), priceMicros: micros, maxPerRun: z.number().int() })).optional(),
  maxBillableEventsMicros: micros.optional(),
  maxHoldMicros: micros,
  availableMicros: micros,
  sufficient: z.boolean(),
});

/** One event of a run's stream (run-queries.ts RunEventJson): the `data:` of each SSE message. */
export const runEventSchema = z.object({ seq: z.number().int(), type: z.string(), data: z.unknown(), at: isoDate }).meta({ id: "RunEvent" });
