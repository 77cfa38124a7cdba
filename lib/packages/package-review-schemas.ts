import { z } from "zod";
import { idParam, slugParam } from "@/lib/http/params";
import { paginationQuery } from "@/lib/http/pagination";
import { isoDateTime } from "@/lib/http/response-schemas";

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

/** A review as the API shows it (lib/packages/package-reviews.ts reviewJson): the reviewing workspace by name. */
export const reviewSchema = z.strictObject({
  id: z.string(),
  slug: z.string(),
  version: z.string(),
  rating: z.number().int(),
  body: z.string(),
  workspaceName: z.string(),
  createdAt: isoDateTime,
  updatedAt: isoDateTime,
  reply: z.strictObject({ body: z.string(), repliedAt: isoDateTime.nullable() }).nullable(),
});

/** One open report in the moderation queue, with the review it is about. */
export const reviewReportSchema = z.strictObject({
  id: z.string(),
  reason: z.string(),
  createdAt: isoDateTime,
  reporterWorkspaceName: z.string(),
  review: reviewSchema.extend({ hidden: z.boolean() }),
});

/** A resolved report: the review kept, or hidden. */
export const resolvedReviewReportSchema = z.strictObject({ id: z.string(), reviewId: z.string(), resolution: z.enum(["kept", "hidden"]), resolvedAt: isoDateTime });

export type CreateReviewBody = z.infer<typeof createReviewBodySchema>;
export type UpdateReviewBody = z.infer<typeof updateReviewBodySchema>;
export type ListReviewsQuery = z.infer<typeof listReviewsQuerySchema>;
export type ResolveReviewReportBody = z.infer<typeof resolveReviewReportBodySchema>;
