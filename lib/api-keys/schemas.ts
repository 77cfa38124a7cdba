import { z } from "zod";
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
