// POST /api/v1/agents/:slug/reviews/:id/report — { reason }: another workspace puts the review in the moderation queue (once; 409 after)
import { requireUser } from "@/lib/auth/permissions";
import { json, route } from "@/lib/http/route";
import { reportReviewBodySchema, reviewIdParams, reviewReportSchema } from "@/lib/packages/package-review-schemas";
import { reportReview } from "@/lib/packages/package-review-moderation";

export const POST = route({ permission: "workspace.write", params: reviewIdParams, body: reportReviewBodySchema, response: reviewReportSchema, status: 201, summary: "Report a review to the moderators (once per workspace)." }, async ({ principal, params, body }) =>
  json(await reportReview(requireUser(principal), params.slug, params.id, body.reason), 201),
);
