import { db } from "@/lib/db/client";
import { ApiError } from "@/lib/http/errors";
import { recordAudit } from "@/lib/audit/record-audit";
import { assertCan } from "@/lib/auth/permissions";
import type { Principal } from "@/lib/auth/principal";
import type { Role } from "@/lib/generated/prisma/enums";

export type MemberSummary = { userId: string; email: string; name: string | null; role: Role; joinedAt: Date };

export async function listMembers(principal: Principal): Promise<MemberSummary[]> {
  const rows = await db.membership.findMany({
    where: { workspaceId: principal.workspace.id },
    select: { role: true, createdAt: true, user: { select: { id: true, email: true, name: true } } },
    orderBy: { createdAt: "asc" },
  });
  return rows.map((m) => ({ userId: m.user.id, email: m.user.email, name: m.user.name, role: m.role, joinedAt: m.createdAt }));
}

/** Owners add an existing Agora user by email. */
export async function addMember(principal: Principal, input: { email: string; role: Role }, ip: string | null = null) {
  assertCan(principal, "members.manage");
  const user = await db.user.findUnique({ where: { email: input.email }, select: { id: true, email: true, name: true } });
  if (!user) throw new ApiError("not_found", "No Agora account uses this email. Ask them to sign up first.", { field: "email" });
  try {
    return await db.$transaction(async (tx) => {
      const m = await tx.membership.create({
        data: { userId: user.id, workspaceId: principal.workspace.id, role: input.role },
        select: { role: true, createdAt: true },
      });
      await recordAudit(
        { action: "membership.added", actorUserId: principal.userId, workspaceId: principal.workspace.id, target: user.id, metadata: { role: input.role }, ip },
        tx,
      );
      return { userId: user.id, email: user.email, name: user.name, role: m.role, joinedAt: m.createdAt } satisfies MemberSummary;
    });
  } catch (err) {
    if ((err as { code?: string }).code === "P2002") throw new ApiError("conflict", "This user is already a member.", { field: "email" });
    throw err;
  }
}

/** Owners remove members; a workspace always keeps at least one owner. */
export async function removeMember(principal: Principal, userId: string, ip: string | null = null): Promise<void> {
  assertCan(principal, "members.manage");
  await db.$transaction(async (tx) => {
    // Lock the workspace's memberships so two concurrent removals cannot drop the last owner.
    const rows = await tx.$queryRaw<{ userId: string; role: Role }[]>`
      SELECT "userId", role FROM "Membership" WHERE "workspaceId" = ${principal.workspace.id} FOR UPDATE`;
    const target = rows.find((r) => r.userId === userId);
    if (!target) throw new ApiError("not_found", "No member with this id in this workspace.");
    if (target.role === "OWNER" && rows.filter((r) => r.role === "OWNER").length === 1) {
      throw new ApiError("conflict", "A workspace needs at least one owner; make someone else an owner first.");
    }
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
