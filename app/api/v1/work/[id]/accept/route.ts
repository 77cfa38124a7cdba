// POST /api/v1/work/:id/accept — the buyer accepts a passed delivery (Idempotency-Key header optional): the contract
//   settles at once (SETTLED: the price charged from the escrow, the provider's share and the fee); 409 unless DELIVERED
import { acceptWork } from "@/lib/exchange/settle";
import { idempotencyKeyHeader } from "@/lib/exchange/work-schemas";
import { idParams } from "@/lib/http/params";
import { route } from "@/lib/http/route";

export const POST = route({ permission: "runs.create", params: idParams }, async ({ req, principal, params }) =>
  acceptWork(principal, params.id, { idempotencyKey: idempotencyKeyHeader(req.headers) }),
);
