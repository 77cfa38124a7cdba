// POST /api/v1/agents/:slug/reviews/:id/reply — { reply }: the provider's one reply (an owner of its workspace; 409 the second time)
import { requireUser } from "@/lib/auth/permissions";
import { route } from "@/lib/http/route";
import { replyReviewBodySchema, reviewIdParams } from "@/lib/packages/package-review-schemas";
import { replyToReview } from "@/lib/packages/package-review-moderation";

export const POST = route({ permission: "workspace.write", params: reviewIdParams, body: replyReviewBodySchema }, async ({ principal, params, body }) =>
  replyToReview(requireUser(principal), params.slug, params.id, body.reply),
);
