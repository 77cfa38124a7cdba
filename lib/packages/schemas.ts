import { z } from "zod";
import { FailureCause, PackageKind, PackageStatus, RunStatus } from "@/lib/generated/prisma/enums";
import { idParam, slugParam } from "@/lib/http/params";
import { paginationQuery } from "@/lib/http/pagination";
import { isoDate, microsAmount, pageOf } from "@/lib/http/wire";
import { manifestSchema } from "./manifest";

// Bodies, params and answers of the publishing routes (issue 19 item 4) and of the provider's package routes
// (their `response`). The manifest
// itself is manifestSchema (lib/packages/manifest.ts).

/** A version that is not semver names no version: a 404 like any other unknown one. */
export const packageVersionParams = z.object({ slug: slugParam, version: idParam });
export const packageSlugParams = z.object({ slug: slugParam });

const reason = z.string().trim().min(10, "Reason: write at least 10 characters, so the provider knows why.").max(2_000);
export const yankVersionBodySchema = z.object({ reason });
/** `expectedUpdatedAt`: the version's updatedAt the reviewer saw; a version changed since is a 409. */
const reviewed = z.object({ expectedUpdatedAt: z.iso.datetime().optional() });
export const approveVersionBodySchema = reviewed;
export const rejectVersionBodySchema = reviewed.extend({ reason });

export const schedulePriceChangeBodySchema = z.object({ baseFeeMicros: z.number().int().min(0, "Base fee: enter an amount of at least $0.") });

export const reviewQueueQuerySchema = paginationQuery({ defaultLimit: 20, maxLimit: 50 });
export const providerRunsQuerySchema = paginationQuery({ defaultLimit: 20, maxLimit: 100 });

const at = isoDate;

/** A package version as its provider and the reviewers see it, the manifest included (lib/packages/package-versions.ts versionJson). */
export const packageVersionSchema = z.strictObject({
  id: z.string(),
  slug: z.string(),
  version: z.string(),
  kind: z.enum(PackageKind),
  status: z.enum(PackageStatus),
  name: z.string(),
  summary: z.string(),
  category: z.string(),
  baseFeeMicros: microsAmount,
  manifest: manifestSchema.nullable(),
  reviewNote: z.string().nullable(),
  suspendedReason: z.string().nullable(),
  yankReason: z.string().nullable(),
  validatedAt: isoDate.nullable(),
  submittedAt: isoDate.nullable(),
  publishedAt: isoDate.nullable(),
  yankedAt: isoDate.nullable(),
  createdAt: isoDate,
  updatedAt: isoDate,
});

/** The review queue (lib/packages/reviews.ts listReviewQueue): submitted versions with their provider. */
export const reviewQueueItemSchema = packageVersionSchema.extend({ provider: z.strictObject({ slug: z.string(), name: z.string(), verified: z.boolean() }).nullable() });

/** What approving or rejecting a version answers: the version as it is now. */
export const reviewedVersionSchema = z.strictObject({ version: packageVersionSchema });

/** Every route that creates, reads or moves one version: `{ version }`. */
export const packageVersionResponseSchema = z.object({ version: packageVersionSchema });

/** GET /api/v1/provider/packages: each package with its versions, newest first, and the published one. */
export const providerPackagesResponseSchema = z.object({
  packages: z.array(z.object({ slug: z.string(), name: z.string(), kind: z.enum(PackageKind), versions: z.array(packageVersionSchema), published: z.string().nullable() })),
});

/** A scheduled base fee (lib/packages/price-changes.ts priceChangeJson): applied at once when lower, after the notice when higher. */
export const priceChangeSchema = z
  .object({ id: z.string(), slug: z.string(), baseFeeMicros: z.number().int(), effectiveAt: at, appliedAt: at.nullable(), canceledAt: at.nullable() })
  .meta({ id: "PriceChange" });
export const priceChangeResponseSchema = z.object({ priceChange: priceChangeSchema });
export const priceChangesResponseSchema = z.object({ priceChanges: z.array(priceChangeSchema) });

/** GET /api/v1/provider/runs (lib/packages/provider-runs.ts): never the consumer's input, output or identity. */
export const providerRunPageSchema = pageOf(
  z.object({
    id: z.string(),
    agent: z.string(),
    version: z.string(),
    status: z.enum(RunStatus),
    failureCause: z.enum(FailureCause).nullable(),
    priceMicros: z.number().int(),
    providerShareMicros: z.number().int(),
    durationMs: z.number().int().nullable(),
    createdAt: at,
  }),
);

/** Trust as the pages and the API show it (lib/packages/trust.ts TrustView): `score` null = new. */
export const trustViewSchema = z
  .object({ score: z.number().nullable(), low: z.number(), high: z.number(), isNew: z.boolean(), computedAt: at.nullable() })
  .meta({ id: "Trust" });

const trustWeights = { runs: z.number(), workspaces: z.number(), providerFailures: z.number(), successWeight: z.number(), failureWeight: z.number() };

/** GET /api/v1/provider/trust (lib/packages/trust.ts providerTrustBreakdown): the score and what it is made of, per package. */
export const providerTrustResponseSchema = z.object({
  provider: z.object({ slug: z.string(), name: z.string() }),
  trust: trustViewSchema,
  breakdown: z.object({
    windowDays: z.number(),
    packages: z.array(z.object({ slug: z.string(), score: z.number().nullable(), low: z.number(), high: z.number(), isNew: z.boolean(), ...trustWeights })),
    totals: z.object({ ...trustWeights, n: z.number() }),
  }),
});
