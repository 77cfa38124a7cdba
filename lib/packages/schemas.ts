import { z } from "zod";
import { idParam, slugParam } from "@/lib/http/params";
import { paginationQuery } from "@/lib/http/pagination";

// Bodies and params of the publishing routes (issue 19 item 4). The manifest
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
