// GET /api/v1/keys/:id — one key of the workspace
// PATCH /api/v1/keys/:id — change its own limits: monthlySpendLimitMicros, requestsPerMinute, runsPerHour (null = none / the tier's)
// DELETE /api/v1/keys/:id — revoke it (idempotent)
import { idParams } from "@/lib/http/params";
import { getApiKeyOrThrow, revokeApiKey, updateApiKey } from "@/lib/api-keys/api-keys";
import { apiKeySchema, updateApiKeyBodySchema } from "@/lib/api-keys/schemas";
import { route } from "@/lib/http/route";

export const GET = route({ permission: "workspace.read", params: idParams, response: apiKeySchema, summary: "One API key of the workspace." }, async ({ principal, params }) => {
  const { createdById: _omit, ...key } = await getApiKeyOrThrow(principal, params.id);
  return key;
});

export const PATCH = route({ permission: "keys.manage", params: idParams, body: updateApiKeyBodySchema, response: apiKeySchema, summary: "Change a key's own limits and pins." }, async ({ principal, params, body, ip }) =>
  updateApiKey(principal, params.id, body, ip),
);

export const DELETE = route({ permission: "keys.manage", params: idParams, response: apiKeySchema, summary: "Revoke a key (idempotent)." }, async ({ principal, params, ip }) =>
  revokeApiKey(principal, params.id, ip),
);
