// POST /api/v1/work/:id/accept — the buyer accepts a passed delivery (Idempotency-Key header optional): the contract
//   settles at once (SETTLED: the price charged from the escrow, the provider's share and the fee); 409 unless DELIVERED
import { acceptWork } from "@/lib/exchange/settle";
import { idempotencyKeyHeader } from "@/lib/exchange/work-schemas";
import { idParams } from "@/lib/http/params";
import { route } from "@/lib/http/route";
import { workJsonSchema } from "@/lib/exchange/work-json-schemas";

export const POST = route({ permission: "runs.create", params: idParams, response: workJsonSchema, summary: "Accept a delivery that passed its checks: the contract settles" }, async ({ req, principal, params }) =>
  acceptWork(principal, params.id, { idempotencyKey: idempotencyKeyHeader(req.headers) }),
);
