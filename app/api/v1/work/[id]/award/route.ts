// POST /api/v1/work/:id/award — the buyer awards an active bid { bidId } (optional Idempotency-Key header): the contract
//   at the bid's price, the escrow shrunk to it; a second award is a 409
import { awardBid } from "@/lib/exchange/award";
import { awardBodySchema, idempotencyKeyHeader, workParams } from "@/lib/exchange/work-schemas";
import { route } from "@/lib/http/route";
import { workJsonSchema } from "@/lib/exchange/work-json-schemas";

export const POST = route({ permission: "runs.create", params: workParams, body: awardBodySchema, response: workJsonSchema, summary: "Award an active bid: the contract at its price, the escrow shrunk to it" }, async ({ req, principal, params, body }) =>
  awardBid(principal, params.id, body.bidId, { idempotencyKey: idempotencyKeyHeader(req.headers) }),
);
