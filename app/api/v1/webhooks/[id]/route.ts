// GET /api/v1/webhooks/:id — one webhook endpoint (owners)
// PATCH /api/v1/webhooks/:id — change `{ url?, description?, eventTypes?, enabled? }` (owners)
// DELETE /api/v1/webhooks/:id — remove it and its delivery log (owners)
import { route } from "@/lib/http/route";
import { deleteWebhook, getWebhook, updateWebhook } from "@/lib/webhooks/endpoints";
import { updateWebhookBodySchema, webhookParams as params, webhookSchema } from "@/lib/webhooks/schemas";

export const GET = route({ permission: "members.manage", params, response: webhookSchema, summary: "One webhook endpoint (owners)." }, async ({ principal, params }) => getWebhook(principal.workspace.id, params.id));

export const PATCH = route({ permission: "members.manage", params, body: updateWebhookBodySchema, response: webhookSchema, summary: "Change a webhook endpoint's URL, description, event filter, or enable/disable it (owners)." }, async ({ principal, params, body, ip }) =>
  updateWebhook(principal, params.id, body, ip),
);

export const DELETE = route({ permission: "members.manage", params, status: 204, summary: "Remove a webhook endpoint and its delivery log (owners)." }, async ({ principal, params, ip }) => {
  await deleteWebhook(principal, params.id, ip);
  return new Response(null, { status: 204 });
});
