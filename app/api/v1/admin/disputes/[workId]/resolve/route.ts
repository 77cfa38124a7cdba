// POST /api/v1/admin/disputes/:workId/resolve — { outcome: RELEASE | PARTIAL_REFUND | FULL_REFUND, refundMicros?, reason }:
//   settles the disputed work (RESOLVED), the admin and the reason on the transfers and in the audit log; 409 unless DISPUTED
import { requireUser } from "@/lib/auth/permissions";
import { disputeParamsSchema, resolveDispute, resolveDisputeBodySchema } from "@/lib/exchange/disputes";
import { route } from "@/lib/http/route";
import { workJsonSchema } from "@/lib/exchange/work-json-schemas";

export const POST = route({ permission: "platform.admin", params: disputeParamsSchema, body: resolveDisputeBodySchema, response: workJsonSchema, summary: "Resolve a disputed work: release, partial refund or full refund" }, async ({ principal, params, body }) =>
  resolveDispute(requireUser(principal), params.workId, body),
);
