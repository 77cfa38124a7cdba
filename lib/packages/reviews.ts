import { forgetPublishedPackage } from "@/lib/agents/published-packages";
import { refreshSearchVectors } from "@/lib/agents/search-vector";
import { recordAudit } from "@/lib/audit/record-audit";
import type { Principal } from "@/lib/auth/principal";
import { db } from "@/lib/db/client";
import type { PackageStatus } from "@/lib/generated/prisma/client";
import { decodeDateCursor, encodeCursor } from "@/lib/http/cursor";
import { ApiError } from "@/lib/http/errors";
import { versionJson } from "./package-versions";
import { assertCompatibleInput } from "./schema-diff";
import { lockPackageSlug } from "./validate-manifest";

// The admin's review of submitted versions (issue 19 item 4): a queue, oldest
// submission first; approve (→ PUBLISHED, in the catalog at once) or reject
// with a reason the provider sees (→ REJECTED, which the provider may edit and
// submit again). One conditional UPDATE each, on SUBMITTED and, when the
// reviewer says what they saw (`expectedUpdatedAt`), on that version: a
// version reviewed or changed meanwhile is a 409. Audit-logged.

type Admin = Extract<Principal, { kind: "user" }>;

/** GET /api/v1/admin/reviews: submitted versions, oldest first, with their provider. */
export async function listReviewQueue(q: { cursor?: string; limit: number }) {
  let after = {};
  if (q.cursor) {
    const { at, id } = decodeDateCursor(q.cursor);
    after = { OR: [{ submittedAt: { gt: at } }, { submittedAt: at, id: { gt: id } }] };
  }
  const rows = await db.agentPackage.findMany({
    where: { status: "SUBMITTED", ...after },
    orderBy: [{ submittedAt: "asc" }, { id: "asc" }],
    take: q.limit + 1,
    include: { provider: { select: { slug: true, name: true, verified: true } } },
  });
  const page = rows.slice(0, q.limit);
  const last = page.at(-1);
  return {
    data: page.map((r) => ({ ...versionJson(r), provider: r.provider })),
    nextCursor: rows.length > q.limit && last?.submittedAt ? encodeCursor([last.submittedAt.toISOString(), last.id]) : null,
  };
}

async function review(admin: Admin, id: string, expectedUpdatedAt: string | undefined, to: PackageStatus, reason: string | null, ip: string | null) {
  const saved = await db.$transaction(async (tx) => {
    const now = new Date();
    // Publishing serializes with the slug's other writes, so the breaking-change check below sees every version published before it.
    const target = to === "PUBLISHED" ? await tx.agentPackage.findUnique({ where: { id }, select: { slug: true } }) : null;
    if (target) await lockPackageSlug(tx, target.slug);
    const data = { status: to, reviewedAt: now, reviewedByUserId: admin.userId, reviewNote: reason, ...(to === "PUBLISHED" ? { publishedAt: now } : {}) };
    const { count } = await tx.agentPackage.updateMany({ where: { id, status: "SUBMITTED", ...(expectedUpdatedAt ? { updatedAt: new Date(expectedUpdatedAt) } : {}) }, data });
    const row = await tx.agentPackage.findUnique({ where: { id } });
    if (!row) throw new ApiError("not_found", "No such package version.");
    if (count === 0) {
      throw new ApiError("conflict", `${row.slug} ${row.version} changed since you opened it (it is ${row.status.toLowerCase()} now); reload the queue.`, { status: row.status, updatedAt: row.updatedAt.toISOString() });
    }
    if (to === "PUBLISHED") {
      await assertCompatibleInput(tx, row); // re-checked: the previous version may have changed since submission
      await refreshSearchVectors(tx, [row.slug]);
    }
    const action = to === "PUBLISHED" ? "admin.package.approved" : "admin.package.rejected";
    await recordAudit({ action, actorUserId: admin.userId, workspaceId: row.ownerWorkspaceId, target: id, metadata: { slug: row.slug, version: row.version, ...(reason ? { reason } : {}) }, ip }, tx);
    return row;
  });
  if (to === "PUBLISHED") await forgetPublishedPackage(saved.slug);
  return versionJson(saved);
}

/** SUBMITTED → PUBLISHED: the newest published version (by semver) is what the catalog and new runs use. */
export const approveVersion = (admin: Admin, id: string, expectedUpdatedAt: string | undefined, ip: string | null) => review(admin, id, expectedUpdatedAt, "PUBLISHED", null, ip);

/** SUBMITTED → REJECTED with the reason shown to the provider. */
export const rejectVersion = (admin: Admin, id: string, reason: string, expectedUpdatedAt: string | undefined, ip: string | null) => review(admin, id, expectedUpdatedAt, "REJECTED", reason, ip);
