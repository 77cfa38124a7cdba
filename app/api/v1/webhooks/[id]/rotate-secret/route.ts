// POST /api/v1/webhooks/:id/rotate-secret — a new signing secret, shown this once; the old one keeps signing for 24 h (owners)
import { route } from "@/lib/http/route";
import { rotateWebhookSecret } from "@/lib/webhooks/endpoints";
import { webhookParams as params, webhookWithSecretSchema } from "@/lib/webhooks/schemas";

export const POST = route({ permission: "members.manage", params, response: webhookWithSecretSchema, summary: "Rotate the signing secret: the new one is in this answer only; the old one also signs for 24 h (owners)." }, async ({ principal, params, ip }) =>
  rotateWebhookSecret(principal, params.id, ip),
);
