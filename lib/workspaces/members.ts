import { db, type DbTx } from "@/lib/db/client";
import { ApiError } from "@/lib/http/errors";
import { recordAudit } from "@/lib/audit/record-audit";
import { assertCan } from "@/lib/auth/permissions";
import type { Principal } from "@/lib/auth/principal";
import type { Role } from "@/lib/generated/prisma/enums";

export type MemberSummary = { userId: string; email: string; name: string | null; role: Role; joinedAt: Date };

const memberSelect = { role: true, createdAt: true, user: { select: { id: true, email: true, name: true } } } as const;

const memberSummary = (m: { role: Role; createdAt: Date; user: { id: string; email: string; name: string | null } }): MemberSummary => ({
  userId: m.user.id,
  email: m.user.email,
  name: m.user.name,
  role: m.role,
  joinedAt: m.createdAt,
});

export async function listMembers(principal: Principal): Promise<MemberSummary[]> {
  const rows = await db.membership.findMany({ where: { workspaceId: principal.workspace.id }, select: memberSelect, orderBy: { createdAt: "asc" } });
  return rows.map(memberSummary);
}

type MemberRow = { userId: string; role: Role };

/**
 * Locks the workspace's memberships for the rest of `tx` and checks the caller is
 * still an owner and `userId` a member: two owners demoting or removing each other
 * at once are serialized here, so the second sees the first's change.
 */
async function lockForOwnerChange(tx: DbTx, principal: Principal, userId: string) {
  const rows = await tx.$queryRaw<MemberRow[]>`
    SELECT "userId", role FROM "Membership" WHERE "workspaceId" = ${principal.workspace.id} ORDER BY "userId" FOR UPDATE`;
  if (rows.find((r) => r.userId === principal.userId)?.role !== "OWNER") throw new ApiError("forbidden", "Only a workspace owner can do this.");
  const target = rows.find((r) => r.userId === userId);
  if (!target) throw new ApiError("not_found", "No member with this id in this workspace.");
  const lastOwner = target.role === "OWNER" && rows.filter((r) => r.role === "OWNER").length === 1;
  return { target, lastOwner };
}

const lastOwnerError = () => new ApiError("conflict", "A workspace needs at least one owner; make someone else an owner first.");

/** Owners change a member's role; the last owner stays an owner. */
export async function changeMemberRole(principal: Principal, userId: string, role: Role, ip: string | null = null): Promise<MemberSummary> {
  assertCan(principal, "members.manage");
  return db.$transaction(async (tx) => {
    const { target, lastOwner } = await lockForOwnerChange(tx, principal, userId);
    if (target.role !== role) {
      if (lastOwner) throw lastOwnerError();
      await recordAudit(
        { action: "membership.role_changed", actorUserId: principal.userId, workspaceId: principal.workspace.id, target: userId, metadata: { from: target.role, to: role }, ip },
        tx,
      );
    }
    const m = await tx.membership.update({ where: { userId_workspaceId: { userId, workspaceId: principal.workspace.id } }, data: { role }, select: memberSelect });
    return memberSummary(m);
  });
}

/** Owners remove members; a workspace always keeps at least one owner. */
export async function removeMember(principal: Principal, userId: string, ip: string | null = null): Promise<void> {
  assertCan(principal, "members.manage");
  await db.$transaction(async (tx) => {
    const { target, lastOwner } = await lockForOwnerChange(tx, principal, userId);
    if (lastOwner) throw lastOwnerError();
    await tx.membership.delete({ where: { userId_workspaceId: { userId, workspaceId: principal.workspace.id } } });
    await recordAudit(
      { action: "membership.removed", actorUserId: principal.userId, workspaceId: principal.workspace.id, target: userId, metadata: { role: target.role }, ip },
      tx,
    );
  });
}

/** The workspaces a user belongs to, for the switcher. */
export async function listUserWorkspaces(userId: string) {
  const rows = await db.membership.findMany({
    where: { userId },
    select: { role: true, workspace: { select: { id: true, name: true, slug: true, tierCode: true, personal: true } } },
    orderBy: { createdAt: "asc" },
  });
  return rows.map((r) => ({ ...r.workspace, role: r.role }));
}
