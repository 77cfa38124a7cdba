// POST /api/v1/agents/:slug/reviews/:id/reply — { reply }: the provider's one reply (an owner of its workspace; 409 the second time)
import { requireUser } from "@/lib/auth/permissions";
import { route } from "@/lib/http/route";
import { replyReviewBodySchema, reviewIdParams, reviewSchema } from "@/lib/packages/package-review-schemas";
import { replyToReview } from "@/lib/packages/package-review-moderation";

export const POST = route({ permission: "workspace.write", params: reviewIdParams, body: replyReviewBodySchema, response: reviewSchema, summary: "The provider's one reply to a review." }, async ({ principal, params, body }) =>
  replyToReview(requireUser(principal), params.slug, params.id, body.reply),
);
