// GET /api/v1/webhooks/:id/deliveries — the endpoint's delivery log, newest first: cursor, limit (owners)
import { route } from "@/lib/http/route";
import { listDeliveries } from "@/lib/webhooks/endpoints";
import { deliveriesQuerySchema, deliveryPageSchema, webhookParams as params } from "@/lib/webhooks/schemas";

export const GET = route({ permission: "members.manage", params, query: deliveriesQuerySchema, response: deliveryPageSchema, summary: "A webhook endpoint's delivery log, newest first: event, state, status code, response time, attempts (owners)." }, async ({ principal, params, query }) =>
  listDeliveries(principal.workspace.id, params.id, query),
);
