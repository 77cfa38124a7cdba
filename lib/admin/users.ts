import type { z } from "zod";
import { recordAudit } from "@/lib/audit/record-audit";
import { endAllSessions } from "@/lib/auth/end-sessions";
import { forgetPrincipals, type Principal } from "@/lib/auth/principal";
import { db } from "@/lib/db/client";
import type { Prisma } from "@/lib/generated/prisma/client";
import { ApiError } from "@/lib/http/errors";
import { newestFirstAfter, newestFirstPage } from "@/lib/http/cursor";
import type { adminUserBodySchema, searchQuerySchema } from "./schemas";

type Admin = Extract<Principal, { kind: "user" }>;
const userSelect = { id: true, email: true, name: true, isAdmin: true, disabledAt: true, createdAt: true, _count: { select: { memberships: true } } } as const;
type UserRow = Prisma.UserGetPayload<{ select: typeof userSelect }>;
const userJson = (u: UserRow) => ({ id: u.id, email: u.email, name: u.name, isAdmin: u.isAdmin, disabled: u.disabledAt !== null, workspaces: u._count.memberships, createdAt: u.createdAt.toISOString() });

export async function searchUsers(q: z.output<typeof searchQuerySchema>) {
  const where: Prisma.UserWhereInput = { ...newestFirstAfter(q.cursor) };
  if (q.q) where.OR = [{ email: { contains: q.q.toLowerCase() } }, { name: { contains: q.q, mode: "insensitive" } }, { id: q.q }];
  const rows = await db.user.findMany({ where, orderBy: [{ createdAt: "desc" }, { id: "desc" }], take: q.limit + 1, select: userSelect });
  const { page, nextCursor } = newestFirstPage(rows, q.limit);
  return { data: page.map(userJson), nextCursor };
}

/**
 * Disable / enable a user (a disabled user's sessions and API keys stop at their
 * next request: every request re-reads the user; disabling also ends the sessions,
 * so enabling again does not revive them), grant / revoke platform admin.
 * An admin cannot disable or demote themselves (nobody locks the console out by accident).
 */
export async function adminUpdateUser(admin: Admin, id: string, body: z.output<typeof adminUserBodySchema>, ip: string | null) {
  if (id === admin.userId) throw new ApiError("bad_request", "You cannot disable or demote yourself; ask another admin.");
  const updated = await db.$transaction(async (tx) => {
    const before = await tx.user.findUnique({ where: { id }, select: { disabledAt: true, isAdmin: true } });
    if (!before) throw new ApiError("not_found", "No such user.");
    const user = await tx.user.update({
      where: { id },
      data: { ...(body.disabled === undefined ? {} : { disabledAt: body.disabled ? (before.disabledAt ?? new Date()) : null }), ...(body.isAdmin === undefined ? {} : { isAdmin: body.isAdmin }) },
      select: userSelect,
    });
    if (body.disabled !== undefined && body.disabled !== (before.disabledAt !== null)) {
      if (body.disabled) await endAllSessions(tx, id);
      await recordAudit({ action: body.disabled ? "admin.user.disabled" : "admin.user.enabled", actorUserId: admin.userId, target: id, ip }, tx);
    }
    if (body.isAdmin !== undefined && body.isAdmin !== before.isAdmin) await recordAudit({ action: body.isAdmin ? "admin.user.admin_granted" : "admin.user.admin_revoked", actorUserId: admin.userId, target: id, ip }, tx);
    return userJson(user);
  });
  if (body.disabled) await forgetPrincipals({ userId: id }); // the keys they created stop too
  return updated;
}
