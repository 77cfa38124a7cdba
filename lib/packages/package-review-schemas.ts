import { z } from "zod";
import { idParam, slugParam } from "@/lib/http/params";
import { paginationQuery } from "@/lib/http/pagination";
import { isoDate } from "@/lib/http/wire";

// Reviews of packages by paying workspaces (issue 20 item 4): the shapes of the
// API's bodies, queries and answers, shared with the forms (client-safe: no database).

export const REVIEW_BODY_MAX = 4_000;
export const REPLY_MAX = 2_000;
export const REPORT_REASON_MAX = 500;

const rating = z
  .number({ error: "Rating: choose 1 to 5 stars." })
  .int("Rating: choose a whole number of stars, 1 to 5.")
  .min(1, "Rating: choose 1 to 5 stars.")
  .max(5, "Rating: choose 1 to 5 stars.");
const body = z.string().max(REVIEW_BODY_MAX, `Review: use at most ${REVIEW_BODY_MAX.toLocaleString("en")} characters.`);

export const reviewSlugParams = z.object({ slug: slugParam });
export const reviewIdParams = z.object({ slug: slugParam, id: idParam });

/** POST /api/v1/agents/:slug/reviews */
export const createReviewBodySchema = z.object({ rating, body: body.default("") });

/** PATCH /api/v1/agents/:slug/reviews/:id: the stars, the text, or both. */
export const updateReviewBodySchema = z
  .object({ rating: rating.optional(), body: body.optional() })
  .refine((b) => b.rating !== undefined || b.body !== undefined, { message: "Send a new rating, a new text, or both." });

/** POST /api/v1/agents/:slug/reviews/:id/reply */
export const replyReviewBodySchema = z.object({
  reply: z.string().trim().min(1, "Reply: write something.").max(REPLY_MAX, `Reply: use at most ${REPLY_MAX.toLocaleString("en")} characters.`),
});

/** POST /api/v1/agents/:slug/reviews/:id/report */
export const reportReviewBodySchema = z.object({
  reason: z.string().trim().min(1, "Reason: say what is wrong with this review.").max(REPORT_REASON_MAX, `Reason: use at most ${REPORT_REASON_MAX} characters.`),
});

/** GET /api/v1/agents/:slug/reviews: newest first, optionally the reviews tied to one version. */
export const listReviewsQuerySchema = paginationQuery({ defaultLimit: 10, maxLimit: 50 }).extend({
  version: z
    .string()
    .max(64, "Version: too long to be a version.")
    .regex(/^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$/, "Version: use a full version such as 1.2.0.")
    .optional(),
});

/** GET /api/v1/admin/review-reports: open reports, oldest first. */
export const listReviewReportsQuerySchema = paginationQuery({ defaultLimit: 20, maxLimit: 50 });

/** POST /api/v1/admin/review-reports/:id/resolve: keep the review, or hide it (a reason is then required). */
export const resolveReviewReportBodySchema = z
  .object({
    action: z.enum(["keep", "hide"], { error: 'Action: choose "keep" or "hide".' }),
    reason: z.string().trim().max(REPORT_REASON_MAX, `Reason: use at most ${REPORT_REASON_MAX} characters.`).default(""),
  })
  .refine((b) => b.action === "keep" || b.reason.length > 0, { path: ["reason"], message: "Reason: say why the review is hidden." });

export type CreateReviewBody = z.infer<typeof createReviewBodySchema>;
export type UpdateReviewBody = z.infer<typeof updateReviewBodySchema>;
export type ListReviewsQuery = z.infer<typeof listReviewsQuerySchema>;
export type ResolveReviewReportBody = z.infer<typeof resolveReviewReportBodySchema>;

// Response bodies (lib/http/route.ts `response`): package-reviews.ts reviewJson, listReviews, and the moderation's report.
export const reviewSchema = z
  .object({
    id: z.string(),
    slug: z.string(),
    version: z.string(),
    rating: z.number().int(),
    body: z.string(),
    workspaceName: z.string().describe("The reviewing workspace; never a person's e-mail."),
    createdAt: isoDate,
    updatedAt: isoDate,
    reply: z.object({ body: z.string(), repliedAt: isoDate.nullable() }).nullable(),
  })
  .meta({ id: "Review" });

export const reviewsPageSchema = z.object({
  data: z.array(reviewSchema),
  nextCursor: z.string().nullable(),
  summary: z
    .object({ rating: z.number().nullable(), count: z.number().int(), average: z.number().nullable(), histogram: z.array(z.number().int()).describe("Reviews per star, 1★ first."),
      versions: z.array(z.object({ version: z.string(), rating: z.number(), count: z.number().int() })),
    })
    .optional()
    .describe("First page only."),
  viewer: z
    .object({ cannotReview: z.string().nullable(), ownReview: reviewSchema.nullable(), canEdit: z.boolean(), canReply: z.boolean(), isProvider: z.boolean() })
    .nullable()
    .optional()
    .describe("First page only: what the signed-in caller may do; null when anonymous."),
});

export const reviewReportSchema = z.object({ id: z.string(), reviewId: z.string(), createdAt: isoDate });

/** One open report in the moderation queue, with the review it is about. */
export const moderationReportSchema = z.strictObject({
  id: z.string(),
  reason: z.string(),
  createdAt: isoDate,
  reporterWorkspaceName: z.string(),
  review: reviewSchema.extend({ hidden: z.boolean() }),
});

/** A resolved report: the review kept, or hidden. */
export const resolvedReviewReportSchema = z.strictObject({ id: z.string(), reviewId: z.string(), resolution: z.enum(["kept", "hidden"]), resolvedAt: isoDate });
