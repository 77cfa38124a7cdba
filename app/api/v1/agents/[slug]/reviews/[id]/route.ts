// PATCH /api/v1/agents/:slug/reviews/:id — { rating?, body? }: the author or a workspace owner edits its workspace's review
import { requireUser } from "@/lib/auth/permissions";
import { route } from "@/lib/http/route";
import { reviewIdParams, reviewSchema, updateReviewBodySchema } from "@/lib/packages/package-review-schemas";
import { updateReview } from "@/lib/packages/package-reviews";

export const PATCH = route({ permission: "workspace.write", params: reviewIdParams, body: updateReviewBodySchema, response: reviewSchema, summary: "Edit the workspace's review (its author or an owner)." }, async ({ principal, params, body }) =>
  updateReview(requireUser(principal), params.slug, params.id, body),
);
