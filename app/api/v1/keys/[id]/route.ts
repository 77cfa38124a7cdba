// GET /api/v1/keys/:id — one key of the workspace
// DELETE /api/v1/keys/:id — revoke it (idempotent)
import { getApiKeyOrThrow, revokeApiKey } from "@/lib/api-keys/api-keys";
import { route } from "@/lib/http/route";

export const GET = route({}, async ({ principal, params }) => {
  const { createdById: _omit, ...key } = await getApiKeyOrThrow(principal, params.id!);
  return key;
});

export const DELETE = route({ permission: "keys.manage" }, async ({ principal, params, ip }) =>
  revokeApiKey(principal, params.id!, ip),
);
