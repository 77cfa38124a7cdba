// GET /api/v1/agents/:slug/reviews — visible reviews, newest first (?version=), with the rating summary on the first page
// POST /api/v1/agents/:slug/reviews — { rating, body }: the workspace's one review (403 without a paid run in 90 days, 409 when it has one)
import { requireUser } from "@/lib/auth/permissions";
import { json, route } from "@/lib/http/route";
import { createReviewBodySchema, listReviewsQuerySchema, reviewSlugParams } from "@/lib/packages/package-review-schemas";
import { createReview, listReviews } from "@/lib/packages/package-reviews";

export const GET = route({ auth: "public", params: reviewSlugParams, query: listReviewsQuerySchema }, async ({ params, query, principal }) => listReviews(params.slug, query, principal));

export const POST = route({ permission: "workspace.write", params: reviewSlugParams, body: createReviewBodySchema }, async ({ principal, params, body }) =>
  json(await createReview(requireUser(principal), params.slug, body), 201),
);
