import type { Principal } from "@/lib/auth/principal";
import { db, type DbTx } from "@/lib/db/client";
import { Prisma } from "@/lib/generated/prisma/client";
import { newestFirstAfter, newestFirstPage } from "@/lib/http/cursor";
import { ApiError } from "@/lib/http/errors";
import type { CreateReviewBody, ListReviewsQuery, UpdateReviewBody } from "./package-review-schemas";
import { ratingSummary, recomputeRating, type RatingSummary } from "./rating";

// Reviews of a package (issue 20 item 4; not lib/packages/reviews.ts, the admin's
// approval of submitted versions). Only a paying workspace reviews: one with a
// SUCCEEDED run of the slug (any version) that finished in the last 90 days, and
// not the provider's own. One review per workspace per package, tied to the
// version of its latest such run; any member who may edit it (its author or a
// workspace owner) re-ties it on each edit. The body is markdown stored as written
// and rendered sanitized (components/ui/markdown.tsx).

export const REVIEW_WINDOW_DAYS = 90;

type Member = Extract<Principal, { kind: "user" }>;

/** The package's provider workspace and display name (any published version of the slug), or a 404. */
export async function reviewedPackage(slug: string, client: DbTx = db) {
  const row = await client.agentPackage.findFirst({
    // Built-in packages are PUBLISHED without a publishedAt; a yanked third-party version keeps its own.
    where: { slug, OR: [{ status: "PUBLISHED" }, { publishedAt: { not: null } }] },
    orderBy: { createdAt: "desc" },
    select: { name: true, ownerWorkspaceId: true, provider: { select: { workspaceId: true } } },
  });
  if (!row) throw new ApiError("not_found", `No published agent '${slug}'.`);
  return { slug, name: row.name, providerWorkspaceId: row.provider?.workspaceId ?? row.ownerWorkspaceId };
}

type Package = Awaited<ReturnType<typeof reviewedPackage>>;

/** The version of the workspace's latest qualifying run of `slug`, or null. */
async function latestPaidRun(client: DbTx, workspaceId: string, slug: string) {
  return client.run.findFirst({
    where: { workspaceId, agentSlug: slug, status: "SUCCEEDED", finishedAt: { gte: new Date(Date.now() - REVIEW_WINDOW_DAYS * 86_400_000) } },
    orderBy: [{ finishedAt: "desc" }, { id: "desc" }],
    select: { packageId: true, packageVersion: true },
  });
}

/** Why this workspace may not review (null: it may), and the run it would review. */
async function eligibility(client: DbTx, workspaceId: string, pkg: Package) {
  if (pkg.providerWorkspaceId === workspaceId) return { reason: `${pkg.name} is your workspace's own package; reviews come only from its buyers.`, run: null };
  const run = await latestPaidRun(client, workspaceId, pkg.slug);
  if (!run) return { reason: `Your workspace has no paid run of ${pkg.name} in the last ${REVIEW_WINDOW_DAYS} days; reviews come only from paying users.`, run: null };
  return { reason: null, run };
}

async function qualifyingRun(client: DbTx, workspaceId: string, pkg: Package) {
  const { reason, run } = await eligibility(client, workspaceId, pkg);
  if (!run) throw new ApiError("forbidden", reason!, { slug: pkg.slug });
  return run;
}

export const reviewSelect = {
  id: true,
  slug: true,
  version: true,
  rating: true,
  body: true,
  reply: true,
  repliedAt: true,
  createdAt: true,
  updatedAt: true,
  workspaceId: true,
  authorUserId: true,
  workspace: { select: { name: true } },
} satisfies Prisma.PackageReviewSelect;

type ReviewRow = Prisma.PackageReviewGetPayload<{ select: typeof reviewSelect }>;

/** A review as the API shows it: the reviewing workspace by name, never a person's e-mail. */
export function reviewJson(r: ReviewRow) {
  return {
    id: r.id,
    slug: r.slug,
    version: r.version,
    rating: r.rating,
    body: r.body,
    workspaceName: r.workspace.name,
    createdAt: r.createdAt.toISOString(),
    updatedAt: r.updatedAt.toISOString(),
    reply: r.reply === null ? null : { body: r.reply, repliedAt: r.repliedAt?.toISOString() ?? null },
  };
}
export type ReviewJson = ReturnType<typeof reviewJson>;

const conflictWithExisting = async (slug: string, workspaceId: string, name: string) => {
  const existing = await db.packageReview.findUnique({ where: { slug_workspaceId: { slug, workspaceId } }, select: { id: true } });
  return new ApiError("conflict", `Your workspace has already reviewed ${name}; edit your workspace's review instead.`, { reviewId: existing?.id ?? null });
};

/** POST /api/v1/agents/:slug/reviews: the workspace's one review, tied to the version of its latest paid run. */
export async function createReview(principal: Member, slug: string, input: CreateReviewBody) {
  const pkg = await reviewedPackage(slug);
  const workspaceId = principal.workspace.id;
  const run = await qualifyingRun(db, workspaceId, pkg);
  try {
    const review = await db.$transaction(async (tx) => {
      const row = await tx.packageReview.create({
        data: { slug, workspaceId, authorUserId: principal.userId, packageId: run.packageId, version: run.packageVersion, rating: input.rating, body: input.body },
        select: reviewSelect,
      });
      await recomputeRating(tx, slug);
      return row;
    });
    return reviewJson(review);
  } catch (err) {
    if (err instanceof Prisma.PrismaClientKnownRequestError && err.code === "P2002") throw await conflictWithExisting(slug, workspaceId, pkg.name);
    throw err;
  }
}

/**
 * PATCH /api/v1/agents/:slug/reviews/:id: the review's author or an owner of its
 * workspace changes the stars and/or text; the review is re-tied to the version of
 * the workspace's latest paid run, which must still be within the window.
 */
export async function updateReview(principal: Member, slug: string, id: string, input: UpdateReviewBody) {
  const pkg = await reviewedPackage(slug);
  const review = await db.packageReview.findFirst({ where: { id, slug, hiddenAt: null }, select: { workspaceId: true, authorUserId: true } });
  if (!review) throw new ApiError("not_found", "No such review of this agent.");
  if (review.workspaceId !== principal.workspace.id) throw new ApiError("forbidden", "Only members of the workspace that wrote this review can edit it.");
  if (review.authorUserId !== principal.userId && principal.role !== "OWNER") {
    throw new ApiError("forbidden", "Only the review's author or an owner of your workspace can edit it.");
  }
  const run = await qualifyingRun(db, principal.workspace.id, pkg);
  const saved = await db.$transaction(async (tx) => {
    const { count } = await tx.packageReview.updateMany({
      where: { id, workspaceId: principal.workspace.id, hiddenAt: null },
      data: { ...input, packageId: run.packageId, version: run.packageVersion },
    });
    if (count === 0) throw new ApiError("conflict", "An admin hid this review meanwhile; it can no longer be edited.");
    await recomputeRating(tx, slug);
    return tx.packageReview.findUniqueOrThrow({ where: { id }, select: reviewSelect });
  });
  return reviewJson(saved);
}

/** What the signed-in caller may do in the reviews section (first page only). */
export type ReviewViewer = {
  /** Null: it may write a review (or already has one: `ownReview`). */
  cannotReview: string | null;
  ownReview: ReviewJson | null;
  /** Whether the caller may edit `ownReview` (its author or a workspace owner). */
  canEdit: boolean;
  /** A member of the provider's workspace who may reply (an owner). */
  canReply: boolean;
  isProvider: boolean;
};

async function viewerOf(principal: Principal, pkg: Package): Promise<ReviewViewer> {
  const workspaceId = principal.workspace.id;
  const isProvider = pkg.providerWorkspaceId === workspaceId;
  const [own, { reason }] = await Promise.all([
    db.packageReview.findUnique({ where: { slug_workspaceId: { slug: pkg.slug, workspaceId } }, select: { ...reviewSelect, hiddenAt: true, hiddenReason: true } }),
    eligibility(db, workspaceId, pkg),
  ]);
  const user = principal.kind === "user";
  return {
    cannotReview: !user ? "Reviews are written by signed-in members, not API keys." : own?.hiddenAt ? `An admin hid your workspace's review (${own.hiddenReason ?? "no reason given"}).` : reason,
    ownReview: own && !own.hiddenAt ? reviewJson(own) : null,
    canEdit: Boolean(own && user && (own.authorUserId === principal.userId || principal.role === "OWNER")),
    canReply: isProvider && user && principal.role === "OWNER",
    isProvider,
  };
}

export type ReviewsPage = { data: ReviewJson[]; nextCursor: string | null; summary?: RatingSummary; viewer?: ReviewViewer | null };

/** GET /api/v1/agents/:slug/reviews: visible reviews newest first; the first page adds the rating summary and the caller's options. */
export async function listReviews(slug: string, q: ListReviewsQuery, principal: Principal | null): Promise<ReviewsPage> {
  const pkg = await reviewedPackage(slug);
  const rows = await db.packageReview.findMany({
    where: { slug, hiddenAt: null, ...(q.version ? { version: q.version } : {}), ...newestFirstAfter(q.cursor) },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: q.limit + 1,
    select: reviewSelect,
  });
  const { page, nextCursor } = newestFirstPage(rows, q.limit);
  const data = page.map(reviewJson);
  if (q.cursor) return { data, nextCursor };
  const [summary, viewer] = await Promise.all([ratingSummary(slug), principal ? viewerOf(principal, pkg) : null]);
  return { data, nextCursor, summary, viewer };
}
