// POST /api/v1/admin/reviews/:id/approve — { expectedUpdatedAt? }: SUBMITTED → PUBLISHED (409 when reviewed or changed meanwhile; audit-logged)
import { requireUser } from "@/lib/auth/permissions";
import { idParams } from "@/lib/http/params";
import { route } from "@/lib/http/route";
import { approveVersion } from "@/lib/packages/reviews";
import { approveVersionBodySchema, reviewedVersionSchema } from "@/lib/packages/schemas";

export const POST = route({ permission: "platform.admin", params: idParams, body: approveVersionBodySchema, response: reviewedVersionSchema, summary: "Approve a submitted package version: it is published" }, async ({ principal, params, body, ip }) => ({
  version: await approveVersion(requireUser(principal), params.id, body.expectedUpdatedAt, ip),
}));
