// POST /api/v1/webhooks/:id/test — send a webhook.test event to this endpoint only; answers the delivery after its first attempt (owners)
import { route } from "@/lib/http/route";
import { sendTestEvent } from "@/lib/webhooks/endpoints";
import { deliverySchema, webhookParams as params } from "@/lib/webhooks/schemas";

export const POST = route({ permission: "members.manage", params, response: deliverySchema, summary: "Send a webhook.test event to this endpoint only; answers its delivery after the first attempt (owners)." }, async ({ principal, params }) =>
  sendTestEvent(principal, params.id),
);
