// POST /api/v1/work/:id/bids — a provider member's bid { package?, priceMicros, promisedMinutes, note? }: 201 with the bid
import { placeBid } from "@/lib/exchange/bids";
import { placeBidBodySchema, workParams } from "@/lib/exchange/work-schemas";
import { json, route } from "@/lib/http/route";
import { bidJsonSchema } from "@/lib/exchange/work-json-schemas";

export const POST = route({ permission: "workspace.write", params: workParams, body: placeBidBodySchema, response: bidJsonSchema, summary: "Bid on a work as a provider, by hand or with a published package" }, async ({ principal, params, body }) =>
  json(await placeBid(principal, params.id, body), 201),
);
