import { recordAudit } from "@/lib/audit/record-audit";
import type { Principal } from "@/lib/auth/principal";
import { db } from "@/lib/db/client";
import { Prisma } from "@/lib/generated/prisma/client";
import { newestFirstPage, oldestFirstAfter } from "@/lib/http/cursor";
import { ApiError } from "@/lib/http/errors";
import type { ResolveReviewReportBody } from "./package-review-schemas";
import { reviewedPackage, reviewJson, reviewSelect } from "./package-reviews";
import { recomputeRating } from "./rating";

// What happens around a review once written (issue 20 item 4): the provider's one
// reply, reports by other workspaces (one each), and the admin's moderation queue
// of open reports — keep the review, or hide it (no longer shown or counted; the
// rating is recomputed), audit-logged. Each step is a conditional write, so a
// second reply, a second report or a stale resolve is a 409, never a double.

type Member = Extract<Principal, { kind: "user" }>;

const visibleReview = async (slug: string, id: string) => {
  const review = await db.packageReview.findFirst({ where: { id, slug, hiddenAt: null }, select: { id: true, workspaceId: true } });
  if (!review) throw new ApiError("not_found", "No such review of this agent.");
  return review;
};

/** POST /api/v1/agents/:slug/reviews/:id/reply: an owner of the provider's workspace answers once. */
export async function replyToReview(principal: Member, slug: string, id: string, reply: string) {
  const pkg = await reviewedPackage(slug);
  if (pkg.providerWorkspaceId !== principal.workspace.id) throw new ApiError("forbidden", `Only the provider of ${pkg.name} can reply to its reviews.`);
  if (principal.role !== "OWNER") throw new ApiError("forbidden", "Only an owner of the provider's workspace can reply to reviews.");
  await visibleReview(slug, id);
  const { count } = await db.packageReview.updateMany({ where: { id, slug, hiddenAt: null, reply: null }, data: { reply, replyUserId: principal.userId, repliedAt: new Date() } });
  if (count === 0) throw new ApiError("conflict", "This review already has your reply; a review gets one reply.");
  return reviewJson(await db.packageReview.findUniqueOrThrow({ where: { id }, select: reviewSelect }));
}

/** POST /api/v1/agents/:slug/reviews/:id/report: another workspace flags a review for the admins, once. */
export async function reportReview(principal: Member, slug: string, id: string, reason: string) {
  const review = await visibleReview(slug, id);
  if (review.workspaceId === principal.workspace.id) throw new ApiError("forbidden", "This is your workspace's own review; edit it instead of reporting it.");
  try {
    const report = await db.reviewReport.create({ data: { reviewId: id, reporterUserId: principal.userId, reporterWorkspaceId: principal.workspace.id, reason } });
    return { id: report.id, reviewId: id, createdAt: report.createdAt.toISOString() };
  } catch (err) {
    if (err instanceof Prisma.PrismaClientKnownRequestError && err.code === "P2002") throw new ApiError("conflict", "Your workspace has already reported this review; the admins will look at it.");
    throw err;
  }
}

/** GET /api/v1/admin/review-reports: open reports, oldest first, with the review they are about. */
export async function listReviewReports(q: { cursor?: string; limit: number }) {
  const rows = await db.reviewReport.findMany({
    where: { resolvedAt: null, ...oldestFirstAfter(q.cursor) },
    orderBy: [{ createdAt: "asc" }, { id: "asc" }],
    take: q.limit + 1,
    include: { review: { select: { ...reviewSelect, hiddenAt: true } } },
  });
  const { page, nextCursor } = newestFirstPage(rows, q.limit);
  const reporters = await db.workspace.findMany({ where: { id: { in: [...new Set(page.map((r) => r.reporterWorkspaceId))] } }, select: { id: true, name: true } });
  const reporterName = new Map(reporters.map((w) => [w.id, w.name]));
  return {
    data: page.map((r) => ({
      id: r.id,
      reason: r.reason,
      createdAt: r.createdAt.toISOString(),
      reporterWorkspaceName: reporterName.get(r.reporterWorkspaceId) ?? "a deleted workspace",
      review: { ...reviewJson(r.review), hidden: r.review.hiddenAt !== null },
    })),
    nextCursor,
  };
}

/**
 * POST /api/v1/admin/review-reports/:id/resolve: "keep" closes the report; "hide" hides
 * the review (and closes every open report of it) and recomputes the package's rating.
 */
export async function resolveReviewReport(admin: Member, id: string, input: ResolveReviewReportBody, ip: string | null) {
  const resolution = input.action === "hide" ? "hidden" : "kept";
  return db.$transaction(async (tx) => {
    const now = new Date();
    const { count } = await tx.reviewReport.updateMany({ where: { id, resolvedAt: null }, data: { resolvedAt: now, resolvedByUserId: admin.userId, resolution } });
    const report = await tx.reviewReport.findUnique({ where: { id }, include: { review: { select: { id: true, slug: true, workspaceId: true } } } });
    if (!report) throw new ApiError("not_found", "No such report.");
    if (count === 0) throw new ApiError("conflict", `This report was already resolved (${report.resolution ?? "closed"}); reload the queue.`, { resolution: report.resolution });
    const { review } = report;
    if (input.action === "hide") {
      await tx.packageReview.updateMany({ where: { id: review.id, hiddenAt: null }, data: { hiddenAt: now, hiddenReason: input.reason } });
      await tx.reviewReport.updateMany({ where: { reviewId: review.id, resolvedAt: null }, data: { resolvedAt: now, resolvedByUserId: admin.userId, resolution } });
      await recomputeRating(tx, review.slug);
    }
    const metadata = { slug: review.slug, reviewId: review.id, ...(input.reason ? { reason: input.reason } : {}) };
    await recordAudit({ action: `admin.review.${resolution}`, actorUserId: admin.userId, workspaceId: review.workspaceId, target: review.id, metadata, ip }, tx);
    return { id, reviewId: review.id, resolution, resolvedAt: now.toISOString() };
  });
}
