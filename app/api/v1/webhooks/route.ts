// GET /api/v1/webhooks — the workspace's webhook endpoints (owners)
// POST /api/v1/webhooks — add one `{ url, description?, eventTypes? }`: 201 with its signing secret, shown this once (owners)
import { json, route } from "@/lib/http/route";
import { createWebhook, listWebhooks } from "@/lib/webhooks/endpoints";
import { createWebhookBodySchema, webhookListSchema, webhookWithSecretSchema } from "@/lib/webhooks/schemas";

export const GET = route({ permission: "members.manage", response: webhookListSchema, summary: "The workspace's webhook endpoints (owners)." }, async ({ principal }) => ({ data: await listWebhooks(principal.workspace.id) }));

export const POST = route(
  { permission: "members.manage", body: createWebhookBodySchema, response: webhookWithSecretSchema, status: 201, summary: "Add a webhook endpoint; its signing secret is in this answer only (owners)." },
  async ({ principal, body, ip }) => json(await createWebhook(principal, body, ip), 201),
);
