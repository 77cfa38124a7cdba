// GET /api/v1/keys — the workspace's API keys (never their secrets)
// POST /api/v1/keys — create a key; the response carries the secret, once
import { createApiKey, listApiKeys } from "@/lib/api-keys/api-keys";
import { createApiKeyBodySchema } from "@/lib/api-keys/schemas";
import { json, route } from "@/lib/http/route";

export const GET = route({ permission: "workspace.read" }, async ({ principal }) => ({ data: await listApiKeys(principal) }));

export const POST = route({ permission: "keys.manage", body: createApiKeyBodySchema }, async ({ principal, body, ip }) =>
  json(await createApiKey(principal, body, ip), 201),
);
