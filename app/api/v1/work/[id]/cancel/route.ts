// POST /api/v1/work/:id/cancel — the buyer cancels its OPEN work: the escrow hold released, the bids lost (409 after an award)
import { cancelWork } from "@/lib/exchange/work";
import { idempotencyKeyHeader, workParams } from "@/lib/exchange/work-schemas";
import { route } from "@/lib/http/route";
import { workJsonSchema } from "@/lib/exchange/work-json-schemas";

export const POST = route({ permission: "runs.cancel", params: workParams, response: workJsonSchema, summary: "Cancel your open work: its escrow hold released, its bids lost" }, async ({ req, principal, params }) =>
  cancelWork(principal, params.id, { idempotencyKey: idempotencyKeyHeader(req.headers) }),
);
