import { z } from "zod";
import { dayQuery } from "@/lib/http/date-query";
import { ApiError } from "@/lib/http/errors";
import { paginationQuery } from "@/lib/http/pagination";
import { parseWith } from "@/lib/http/validate";
import { idempotencyKeySchema, runStatuses } from "@/lib/runs/schemas";
import { microsInputSchema } from "@/lib/workspaces/budget-settings";

// Admin request bodies: strict (an unknown field is a 400, never written).

const reason = z.string().trim().min(3, "Say why, in a few words.").max(500);

export const adminWorkspaceBodySchema = z
  .strictObject({
    tierCode: z.string().min(1).max(40).optional(),
    monthlySpendCapMicros: microsInputSchema.nullable().optional(),
    suspend: z.strictObject({ reason }).optional(),
    unsuspend: z.literal(true).optional(),
  })
  .refine((b) => Object.keys(b).length > 0, "Nothing to change.")
  .refine((b) => !(b.suspend && b.unsuspend), "Suspend or unsuspend, not both.");

export const refundBodySchema = z.strictObject({ reason });

export const creditsBodySchema = z.strictObject({
  direction: z.enum(["grant", "deduct"]),
  amountMicros: z.number().int().min(1).max(10_000_000_000),
  reason,
});

/** The Idempotency-Key header a credits request must carry (as POST /api/v1/runs may): a retry under it books nothing twice. */
export function creditsIdempotencyKey(headers: Headers): string {
  const key = headers.get("idempotency-key");
  if (key === null) throw new ApiError("bad_request", "Send an Idempotency-Key header (a fresh value for each grant or deduction), so that a retried request is booked once.");
  return parseWith(idempotencyKeySchema, key);
}

export const adminUserBodySchema = z
  .strictObject({ disabled: z.boolean().optional(), isAdmin: z.boolean().optional() })
  .refine((b) => b.disabled !== undefined || b.isAdmin !== undefined, "Nothing to change.");

export const adminPackageBodySchema = z
  .strictObject({
    baseFeeMicros: microsInputSchema.optional(),
    model: z.string().min(1).max(100).optional(),
    maxOutputTokens: z.number().int().min(16).max(64_000).optional(),
    status: z.enum(["PUBLISHED", "SUSPENDED"]).optional(),
    suspendedReason: z.string().trim().max(500).optional(),
  })
  .refine((b) => Object.keys(b).length > 0, "Nothing to change.")
  .refine((b) => b.status !== "SUSPENDED" || (b.suspendedReason && b.suspendedReason.length >= 3), { path: ["suspendedReason"], message: "Say why the package is suspended." });

export const tierBodySchema = z
  .strictObject({
    name: z.string().trim().min(1).max(40).optional(),
    monthlyPriceMicros: microsInputSchema.nullable().optional(),
    stripePriceId: z.string().trim().max(100).nullable().optional(),
    includedCreditsMicros: microsInputSchema.nullable().optional(),
    requestsPerMinute: z.number().int().min(1).max(1_000_000).optional(),
    runsPerHour: z.number().int().min(1).max(1_000_000).optional(),
    concurrentRuns: z.number().int().min(1).max(10_000).optional(),
    tokensPerDay: z.number().int().min(1).max(1_000_000_000_000).optional(),
    priceMultiplierBps: z.number().int().min(10_000, "A multiplier below 1× sells under cost.").max(100_000).optional(),
  })
  .refine((b) => Object.keys(b).length > 0, "Nothing to change.");

const perMTok = z.number().int().min(0).max(1_000_000_000);
export const modelPriceBodySchema = z
  .strictObject({ displayName: z.string().trim().min(1).max(80).optional(), inputMicrosPerMTok: perMTok.optional(), outputMicrosPerMTok: perMTok.optional(), cacheWriteMicrosPerMTok: perMTok.optional(), cacheReadMicrosPerMTok: perMTok.optional() })
  .refine((b) => Object.keys(b).length > 0, "Nothing to change.");

// Admin lists: 50 rows a page, days as YYYY-MM-DD.
const adminPage = paginationQuery({ defaultLimit: 50 });
const day = dayQuery.optional();
export const searchQuerySchema = adminPage.extend({ q: z.string().trim().max(200).optional() });
export const adminRunsQuerySchema = adminPage.extend({
  status: z.enum(runStatuses).optional(),
  agent: z.string().max(100).optional(),
  workspace: z.string().max(100).optional(),
  model: z.string().max(100).optional(),
  errorCode: z.string().max(100).optional(),
  from: day,
  to: day,
});
export const auditQuerySchema = adminPage.extend({ actor: z.string().max(200).optional(), action: z.string().max(100).optional(), workspace: z.string().max(100).optional(), from: day, to: day });
