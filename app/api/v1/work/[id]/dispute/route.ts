// POST /api/v1/work/:id/dispute — { reason } (10–2,000 characters): the buyer disputes a passed delivery within 72 hours
//   of its pass (DISPUTED: an admin resolves it); 409 unless DELIVERED and inside the window
import { disputeBodySchema, disputeWork } from "@/lib/exchange/disputes";
import { idParams } from "@/lib/http/params";
import { route } from "@/lib/http/route";
import { workJsonSchema } from "@/lib/exchange/work-json-schemas";

export const POST = route({ permission: "runs.create", params: idParams, body: disputeBodySchema, response: workJsonSchema, summary: "Dispute a passed delivery within 72 hours of its pass" }, async ({ principal, params, body }) => disputeWork(principal, params.id, body.reason));
