import { z } from "zod";
import { isoDate, pageOf, wholeNumber } from "@/lib/http/wire";
import { quoteResponseSchema, runSummarySchema } from "@/lib/runs/response-schemas";

// What the upgrade-preview routes send, as it is on the wire (lib/http/route.ts `response`):
// upgrade-preview.ts upgradeCandidates, quoteUpgradePreview and previewJson.

const count = wholeNumber;
const itemError = z.object({ code: z.string(), message: z.string() });

export const upgradeCandidatesSchema = z.object({
  agent: z.string(),
  from: z.string().nullable(),
  maxInputs: count.describe("How many inputs one preview may try."),
  ranVersions: z.array(z.string()),
  toVersions: z.array(z.string()),
  candidates: z.array(z.object({ runId: z.string(), status: z.string(), createdAt: isoDate, priceMicros: count, inputSummary: z.string() })),
});

export const upgradeQuoteSchema = z.object({
  agent: z.string(),
  from: z.string(),
  to: z.string(),
  items: z.array(
    z.object({
      runId: z.string(),
      expected: quoteResponseSchema.shape.expected.nullable(),
      maxHoldMicros: count,
      error: itemError.extend({ details: z.unknown() }).nullable(),
    }),
  ),
  totalMaxHoldMicros: count,
  availableMicros: count,
  sufficient: z.boolean(),
});

/** One side of a compared input: the run of version A (base) or of version B (next). */
const side = runSummarySchema.pick({ id: true, status: true, priceMicros: true, durationMs: true, error: true, createdAt: true }).extend({ version: z.string() }).nullable();
const sideTotals = z.object({ priceMicros: count, succeeded: count, runs: count });

export const upgradePreviewSchema = z
  .object({
    id: z.string(),
    agent: z.string(),
    from: z.string(),
    to: z.string(),
    quoteMicros: count,
    createdAt: isoDate,
    items: z.array(
      z.object({
        position: count,
        base: side,
        next: side,
        error: itemError.nullable(),
        pending: z.boolean(),
        diff: z.unknown().describe("The outputs' differences once both runs finished (null in lists and before)."),
      }),
    ),
    totals: z.object({ from: sideTotals, to: sideTotals, failedToStart: count }),
    live: z.boolean().describe("Whether an item is still pending, queued or running."),
  })
  .meta({ id: "UpgradePreview" });

export const upgradePreviewPageSchema = pageOf(upgradePreviewSchema);
