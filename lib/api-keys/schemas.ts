import { z } from "zod";
import { isoDate } from "@/lib/http/wire";
import { packagePinsSchema } from "@/lib/packages/pin-schemas";
import { microsInputSchema } from "@/lib/workspaces/budget-settings";

/** A key's own limits; null (or absent) = the workspace tier's limit and no spend limit. */
const keyLimits = {
  monthlySpendLimitMicros: microsInputSchema.nullable().optional(),
  requestsPerMinute: z.number().int().min(1).max(100_000).nullable().optional(),
  runsPerHour: z.number().int().min(1).max(100_000).nullable().optional(),
  /** The key's version pins (issue 20), ahead of the workspace's; replaces the key's set. */
  pins: packagePinsSchema.optional(),
};

export const createApiKeyBodySchema = z.strictObject({
  name: z.string().trim().min(1, "Name the key so you can recognise it later.").max(80),
  ...keyLimits,
});
export const updateApiKeyBodySchema = z.strictObject(keyLimits);
export const apiKeyIdSchema = z.object({ id: z.string().min(1).max(64) });

// Response bodies (lib/http/route.ts `response`), as api-keys.ts sends them: never a secret but once, on creation.
export const apiKeySchema = z
  .object({
    id: z.string(),
    name: z.string(),
    prefix: z.string().describe("The key's first characters, to recognise it."),
    createdAt: isoDate,
    lastUsedAt: isoDate.nullable(),
    revokedAt: isoDate.nullable(),
    monthlySpendLimitMicros: z.number().int().nullable(),
    requestsPerMinute: z.number().int().nullable(),
    runsPerHour: z.number().int().nullable(),
    pins: z.record(z.string(), z.string()).describe("Version pins: package slug → semver range."),
  })
  .meta({ id: "ApiKey" });
export const apiKeyListSchema = z.object({ data: z.array(apiKeySchema.extend({ spentThisMonthMicros: z.number().int() })) });
export const createdApiKeySchema = apiKeySchema.extend({ secret: z.string().describe("The key itself: shown this once, never again.") });
