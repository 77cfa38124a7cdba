// POST /api/v1/admin/reviews/:id/reject — { reason, expectedUpdatedAt? }: SUBMITTED → REJECTED, the reason shown to the provider (audit-logged)
import { requireUser } from "@/lib/auth/permissions";
import { idParams } from "@/lib/http/params";
import { route } from "@/lib/http/route";
import { rejectVersion } from "@/lib/packages/reviews";
import { rejectVersionBodySchema, reviewedVersionSchema } from "@/lib/packages/schemas";

export const POST = route({ permission: "platform.admin", params: idParams, body: rejectVersionBodySchema, response: reviewedVersionSchema, summary: "Reject a submitted package version with a reason for its provider" }, async ({ principal, params, body, ip }) => ({
  version: await rejectVersion(requireUser(principal), params.id, body.reason, body.expectedUpdatedAt, ip),
}));
