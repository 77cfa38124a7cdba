import { z } from "zod";
import { PackageStatus, PaymentMode, Role, TransferKind } from "@/lib/generated/prisma/enums";
import { walletBalanceSchema } from "@/lib/billing/billing-overview";
import { dayQuery } from "@/lib/http/date-query";
import { ApiError } from "@/lib/http/errors";
import { paginationQuery } from "@/lib/http/pagination";
import { isoDate, isoDay, listOf, microsAmount, pageOf } from "@/lib/http/wire";
import { parseWith } from "@/lib/http/validate";
import { runDetailSchema, runEventSchema, runSummarySchema } from "@/lib/runs/response-schemas";
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

// Admin responses, as they are on the wire (the routes' `response`, checked while tests run).

const rate = z.number().min(0).max(1).nullable();

/** GET /api/v1/admin/overview (lib/admin/overview.ts): today, 7 and 30 days; per day; the top agents and workspaces of 30 days. */
export const adminOverviewSchema = z.strictObject({
  windows: z.array(
    z.strictObject({
      days: z.number().int(),
      runs: z.number().int(),
      successRate: rate,
      errorRate: rate,
      revenueMicros: microsAmount,
      modelCostMicros: microsAmount,
      grossMarginMicros: microsAmount,
      grossMarginRate: z.number().nullable(),
      activeWorkspaces: z.number().int(),
      p95DurationMs: z.number().int().nullable(),
    }),
  ),
  perDay: z.array(z.strictObject({ day: isoDay, runs: z.number().int(), revenueMicros: microsAmount, modelCostMicros: microsAmount, failed: z.number().int() })),
  topAgents: z.array(z.strictObject({ agent: z.string(), runs: z.number().int(), revenueMicros: microsAmount })),
  topWorkspaces: z.array(z.strictObject({ id: z.string(), name: z.string(), slug: z.string(), runs: z.number().int(), revenueMicros: microsAmount })),
});

/** A scheduled job (lib/admin/jobs.ts scheduledJobs): whether this deployment runs it. */
export const scheduledJobSchema = z.strictObject({ name: z.string(), what: z.string(), cron: z.string(), enabled: z.boolean() });

/** POST /api/v1/admin/jobs/:name: the job queued now. */
export const queuedJobSchema = z.strictObject({ name: z.string(), jobId: z.string(), queuedAt: isoDate });

/** GET /api/v1/admin/health (lib/admin/health.ts); `jobs` is null when the job engine does not answer. */
export const adminHealthSchema = z.strictObject({
  database: z.strictObject({ ok: z.boolean(), latencyMs: z.number().nullable() }),
  migrations: z.strictObject({ applied: z.number().int(), pending: z.array(z.string()) }),
  rateLimits: z.strictObject({ backend: z.enum(["postgres", "redis"]), ok: z.boolean(), latencyMs: z.number().nullable() }),
  provider: z.strictObject({ name: z.enum(["anthropic", "offline"]), breaker: z.enum(["closed", "open", "half_open"]) }),
  outbox: z.strictObject({ pending: z.number().int(), oldestPendingAgeSeconds: z.number().int().nullable(), gaveUp: z.number().int() }),
  runsPastLease: z.number().int(),
  jobs: z
    .strictObject({
      queues: z.array(z.strictObject({ name: z.string(), policy: z.string(), waiting: z.number().int(), active: z.number().int(), deferred: z.number().int(), failed: z.number().int() })),
      workers: z.array(z.strictObject({ role: z.string(), host: z.string(), pid: z.number().int(), startedAt: isoDate, executesRuns: z.boolean() })),
    })
    .nullable(),
  scheduled: z.array(scheduledJobSchema),
});

/** POST /api/v1/admin/health/ledger: the ledger's invariants checked now (lib/ledger/invariants.ts Violation). */
export const ledgerCheckSchema = z.strictObject({
  ok: z.boolean(),
  violations: z.array(z.strictObject({ invariant: z.number().int(), message: z.string(), details: z.unknown().optional() })),
  tookMs: z.number().int(),
  checkedAt: isoDate,
});

/** GET /api/v1/admin/audit: who did what, newest first. `actor`: the user's e-mail, `key <id>`, or null (the system). */
export const auditPageSchema = pageOf(
  z.strictObject({
    id: z.string(),
    at: isoDate,
    action: z.string(),
    actor: z.string().nullable(),
    workspaceId: z.string().nullable(),
    target: z.string().nullable(),
    metadata: z.unknown(),
    ip: z.string().nullable(),
  }),
);

/** A package version in the admin console (lib/admin/catalog-admin.ts listPackagesAdmin): counters and revenue from the usage rollup. */
export const adminPackageSchema = z.strictObject({
  id: z.string(),
  slug: z.string(),
  version: z.string(),
  name: z.string(),
  category: z.string(),
  status: z.enum(PackageStatus),
  suspendedReason: z.string().nullable(),
  model: z.string(),
  maxOutputTokens: z.number().int(),
  baseFeeMicros: microsAmount,
  runs: z.number().int(),
  successRate: rate,
  rating: z.number().nullable(),
  revenueMicros: microsAmount,
  modelCostMicros: microsAmount,
  adminEdited: z.boolean(),
});

/** A tier and its limits (lib/admin/catalog-admin.ts listTiers); null prices and credits: custom. */
export const tierSchema = z.strictObject({
  code: z.string(),
  name: z.string(),
  monthlyPriceMicros: microsAmount.nullable(),
  stripePriceId: z.string().nullable(),
  includedCreditsMicros: microsAmount.nullable(),
  requestsPerMinute: z.number().int(),
  runsPerHour: z.number().int(),
  concurrentRuns: z.number().int(),
  tokensPerDay: z.number().int(),
  priceMultiplierBps: z.number().int(),
  sortOrder: z.number().int(),
  updatedAt: isoDate,
});

/** A model's prices per million tokens, in micro-USD. */
export const modelPriceSchema = z.strictObject({
  model: z.string(),
  displayName: z.string(),
  inputMicrosPerMTok: microsAmount,
  outputMicrosPerMTok: microsAmount,
  cacheWriteMicrosPerMTok: microsAmount,
  cacheReadMicrosPerMTok: microsAmount,
});

export const adminPackagesSchema = listOf(adminPackageSchema);
export const tiersSchema = listOf(tierSchema);
export const modelPricesSchema = listOf(modelPriceSchema);

/** A user as the admin console shows it (lib/admin/users.ts): `workspaces` counts memberships. */
export const adminUserSchema = z.strictObject({
  id: z.string(),
  email: z.string(),
  name: z.string().nullable(),
  isAdmin: z.boolean(),
  disabled: z.boolean(),
  workspaces: z.number().int(),
  createdAt: isoDate,
});
export const adminUsersPageSchema = pageOf(adminUserSchema);

/** GET /api/v1/admin/workspaces: a search's page (lib/admin/workspaces.ts searchWorkspaces). */
export const adminWorkspacesPageSchema = pageOf(
  z.strictObject({
    id: z.string(),
    name: z.string(),
    slug: z.string(),
    tier: z.string(),
    paymentMode: z.enum(PaymentMode),
    suspended: z.boolean(),
    members: z.number().int(),
    runs: z.number().int(),
    availableMicros: microsAmount,
    createdAt: isoDate,
  }),
);

/** Everything about one workspace (lib/admin/workspaces.ts workspaceDetail): what its GET and every action on it answer. */
export const adminWorkspaceSchema = z.strictObject({
  id: z.string(),
  name: z.string(),
  slug: z.string(),
  tier: z.string(),
  paymentMode: z.enum(PaymentMode),
  monthlySpendCapMicros: microsAmount.nullable(),
  suspended: z.strictObject({ at: isoDate, reason: z.string().nullable() }).nullable(),
  pastDueSince: isoDate.nullable(),
  stripe: z.strictObject({ customerId: z.string().nullable(), subscriptionId: z.string().nullable(), subscriptionStatus: z.string().nullable() }),
  balance: walletBalanceSchema,
  members: z.array(z.strictObject({ id: z.string(), email: z.string(), name: z.string().nullable(), disabled: z.boolean(), role: z.enum(Role) })),
  keys: z.array(
    z.strictObject({
      id: z.string(),
      name: z.string(),
      prefix: z.string(),
      createdAt: isoDate,
      lastUsedAt: isoDate.nullable(),
      revokedAt: isoDate.nullable(),
      monthlySpendLimitMicros: microsAmount.nullable(),
    }),
  ),
  runs: z.array(runSummarySchema),
  createdAt: isoDate,
});

const runWorkspace = { id: z.string(), slug: z.string() };

/** GET /api/v1/admin/runs: every workspace's runs, each with its workspace. */
export const adminRunsPageSchema = pageOf(runSummarySchema.extend({ workspace: z.strictObject(runWorkspace) }));

/** GET /api/v1/admin/runs/:id (lib/admin/runs-admin.ts adminGetRun): the run, its revenue split, its transfers and its transcript. */
export const adminRunSchema = runDetailSchema.extend({
  workspace: z.strictObject({ ...runWorkspace, name: z.string() }),
  split: z.strictObject({ platformFeeBps: z.number().int(), providerShareMicros: microsAmount, platformFeeMicros: microsAmount, passThroughMicros: microsAmount }).nullable(),
  transfers: z.array(z.strictObject({ id: z.string(), kind: z.enum(TransferKind), reason: z.string(), amountMicros: microsAmount, memo: z.string().nullable(), createdAt: isoDate })),
  refunded: z.boolean(),
  events: z.array(runEventSchema),
});

/** POST /api/v1/admin/runs/:id/refund: what went back to the wallet, and what became of the provider's share (lib/ledger/run-refund.ts ShareOutcome). */
export const runRefundSchema = z.strictObject({ refundedMicros: microsAmount, share: z.enum(["none", "voided", "reversed", "clawback"]) });
