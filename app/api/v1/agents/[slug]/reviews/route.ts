// GET /api/v1/agents/:slug/reviews — visible reviews, newest first (?version=), with the rating summary on the first page
// POST /api/v1/agents/:slug/reviews — { rating, body }: the workspace's one review (403 without a paid run in 90 days, 409 when it has one)
import { requireUser } from "@/lib/auth/permissions";
import { json, route } from "@/lib/http/route";
import { createReviewBodySchema, listReviewsQuerySchema, reviewSchema, reviewSlugParams, reviewsPageSchema } from "@/lib/packages/package-review-schemas";
import { createReview, listReviews } from "@/lib/packages/package-reviews";

export const GET = route({ auth: "public", params: reviewSlugParams, query: listReviewsQuerySchema, response: reviewsPageSchema, summary: "Visible reviews of an agent, newest first; the first page adds the rating summary." }, async ({ params, query, principal }) => listReviews(params.slug, query, principal));

export const POST = route({ permission: "workspace.write", params: reviewSlugParams, body: createReviewBodySchema, response: reviewSchema, status: 201, summary: "The workspace's one review of an agent (needs a paid run in the last 90 days)." }, async ({ principal, params, body }) =>
  json(await createReview(requireUser(principal), params.slug, body), 201),
);
