// POST /api/v1/admin/review-reports/:id/resolve — { action: "keep" | "hide", reason }: close the report; hide the review (audit-logged; 409 when already resolved)
import { requireUser } from "@/lib/auth/permissions";
import { idParams } from "@/lib/http/params";
import { route } from "@/lib/http/route";
import { resolvedReviewReportSchema, resolveReviewReportBodySchema } from "@/lib/packages/package-review-schemas";
import { resolveReviewReport } from "@/lib/packages/package-review-moderation";

export const POST = route({ permission: "platform.admin", params: idParams, body: resolveReviewReportBodySchema, response: resolvedReviewReportSchema, summary: "Resolve a review report: keep the review or hide it" }, async ({ principal, params, body, ip }) =>
  resolveReviewReport(requireUser(principal), params.id, body, ip),
);
