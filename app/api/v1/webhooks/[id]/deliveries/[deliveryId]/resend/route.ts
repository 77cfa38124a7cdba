// POST /api/v1/webhooks/:id/deliveries/:deliveryId/resend — send a delivery again now, same webhook-id; answers it after the attempt (owners)
import { route } from "@/lib/http/route";
import { resendDelivery } from "@/lib/webhooks/endpoints";
import { deliveryParams as params, deliverySchema } from "@/lib/webhooks/schemas";

export const POST = route({ permission: "members.manage", params, response: deliverySchema, summary: "Send a delivery again now (same webhook-id); answers it after the attempt (owners)." }, async ({ principal, params }) =>
  resendDelivery(principal, params.id, params.deliveryId),
);
