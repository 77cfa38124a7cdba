// POST /api/v1/admin/review-reports/:id/resolve — { action: "keep" | "hide", reason }: close the report; hide the review (audit-logged; 409 when already resolved)
import { requireUser } from "@/lib/auth/permissions";
import { idParams } from "@/lib/http/params";
import { route } from "@/lib/http/route";
import { resolveReviewReportBodySchema } from "@/lib/packages/package-review-schemas";
import { resolveReviewReport } from "@/lib/packages/package-review-moderation";

export const POST = route({ permission: "platform.admin", params: idParams, body: resolveReviewReportBodySchema }, async ({ principal, params, body, ip }) =>
  resolveReviewReport(requireUser(principal), params.id, body, ip),
);
