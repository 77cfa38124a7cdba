import { z } from "zod";
import { PackageKind, PackageStatus } from "@/lib/generated/prisma/enums";
import { idParam, slugParam } from "@/lib/http/params";
import { paginationQuery } from "@/lib/http/pagination";
import { isoDateTime, microsAmount } from "@/lib/http/response-schemas";
import { manifestSchema } from "./manifest";

// Bodies, params and answers of the publishing routes (issue 19 item 4). The manifest
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
  validatedAt: isoDateTime.nullable(),
  submittedAt: isoDateTime.nullable(),
  publishedAt: isoDateTime.nullable(),
  yankedAt: isoDateTime.nullable(),
  createdAt: isoDateTime,
  updatedAt: isoDateTime,
});

/** The review queue (lib/packages/reviews.ts listReviewQueue): submitted versions with their provider. */
export const reviewQueueItemSchema = packageVersionSchema.extend({ provider: z.strictObject({ slug: z.string(), name: z.string(), verified: z.boolean() }).nullable() });

/** What approving or rejecting a version answers: the version as it is now. */
export const reviewedVersionSchema = z.strictObject({ version: packageVersionSchema });
