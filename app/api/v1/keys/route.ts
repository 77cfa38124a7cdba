// GET /api/v1/keys — the workspace's API keys (never their secrets)
// POST /api/v1/keys — create a key; the response carries the secret, once
import { createApiKey, listApiKeys } from "@/lib/api-keys/api-keys";
import { apiKeyListSchema, createApiKeyBodySchema, createdApiKeySchema } from "@/lib/api-keys/schemas";
import { json, route } from "@/lib/http/route";

export const GET = route({ permission: "workspace.read", response: apiKeyListSchema, summary: "The workspace's API keys with this month's spend (never their secrets)." }, async ({ principal }) => ({ data: await listApiKeys(principal) }));

export const POST = route({ permission: "keys.manage", body: createApiKeyBodySchema, response: createdApiKeySchema, status: 201, summary: "Create an API key; the response carries its secret, once." }, async ({ principal, body, ip }) =>
  json(await createApiKey(principal, body, ip), 201),
);
