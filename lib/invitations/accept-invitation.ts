import { hashAccountToken, looksLikeToken } from "@/lib/accounts/account-tokens";
import { recordAudit } from "@/lib/audit/record-audit";
import { requireUser } from "@/lib/auth/permissions";
import type { Principal } from "@/lib/auth/principal";
import { db } from "@/lib/db/client";
import type { Role } from "@/lib/generated/prisma/enums";
import { ApiError } from "@/lib/http/errors";
import { invitationStatus, type InvitationStatus } from "./invitations";

// The invitee's side: what the mailed link shows, and accepting it. Only the link
// holder sees the invitation, and nothing here says whether the invited address
// has an account. Accepting needs the invited address: a forwarded or leaked link
// does not let anyone else into the workspace.

export type InvitationView = {
  email: string;
  role: Role;
  workspaceName: string;
  inviterName: string | null;
  status: InvitationStatus;
  /** Accepted by the user now looking at it (they may open the workspace again). */
  acceptedByViewer: boolean;
};

const notFound = () => new ApiError("not_found", "This invitation link is not valid. Ask for a new invitation.");

/** What the invitation page shows for a link, or null when it names no invitation. */
export async function viewInvitation(token: string, viewerUserId: string | null): Promise<InvitationView | null> {
  if (!looksLikeToken(token)) return null;
  const row = await db.invitation.findUnique({
    where: { tokenHash: hashAccountToken(token) },
    select: {
      email: true,
      role: true,
      expiresAt: true,
      acceptedAt: true,
      acceptedById: true,
      revokedAt: true,
      workspace: { select: { name: true } },
      invitedBy: { select: { name: true, email: true } },
    },
  });
  if (!row) return null;
  return {
    email: row.email,
    role: row.role,
    workspaceName: row.workspace.name,
    inviterName: row.invitedBy ? (row.invitedBy.name ?? row.invitedBy.email) : null,
    status: invitationStatus(row),
    acceptedByViewer: row.acceptedById !== null && row.acceptedById === viewerUserId,
  };
}

/** Why a link no longer works, for the API's 410 and the invitation page alike. */
export const goneMessage: Record<Exclude<InvitationStatus, "pending">, string> = {
  accepted: "This invitation was already accepted. Ask the workspace owner for a new one.",
  revoked: "This invitation was withdrawn. Ask the workspace owner for a new one.",
  expired: "This invitation has expired. Ask the workspace owner for a new one.",
};

/**
 * The signed-in invitee joins the workspace with the invited role (an existing
 * membership keeps its role). Accepting again as the same user, still a member, answers the same.
 */
export async function acceptInvitation(principal: Principal, token: string, ip: string | null = null): Promise<{ workspace: { id: string; name: string }; role: Role }> {
  const user = requireUser(principal);
  if (!looksLikeToken(token)) throw notFound();
  return db.$transaction(async (tx) => {
    // The row lock makes two racing accepts of one link take turns.
    const [locked] = await tx.$queryRaw<{ id: string }[]>`SELECT id FROM "Invitation" WHERE "tokenHash" = ${hashAccountToken(token)} FOR UPDATE`;
    if (!locked) throw notFound();
    const inv = await tx.invitation.findUniqueOrThrow({
      where: { id: locked.id },
      select: { id: true, workspaceId: true, email: true, role: true, expiresAt: true, acceptedAt: true, acceptedById: true, revokedAt: true, workspace: { select: { name: true } } },
    });
    const status = invitationStatus(inv);
    if (inv.email !== user.email.toLowerCase() && status === "pending") {
      throw new ApiError("forbidden", `This invitation is for ${inv.email}; sign in with that address to accept it.`, { invitedEmail: inv.email });
    }
    const membershipOf = () => tx.membership.findUnique({ where: { userId_workspaceId: { userId: user.userId, workspaceId: inv.workspaceId } }, select: { role: true } });
    if (status !== "pending") {
      // Accepting again opens the workspace again, as long as the invitee is still in it (a removed member stays out).
      const membership = status === "accepted" && inv.acceptedById === user.userId ? await membershipOf() : null;
      if (!membership) throw new ApiError("gone", goneMessage[status]);
      return { workspace: { id: inv.workspaceId, name: inv.workspace.name }, role: membership.role };
    }
    const joined = await tx.membership.createMany({ data: [{ userId: user.userId, workspaceId: inv.workspaceId, role: inv.role }], skipDuplicates: true });
    await tx.invitation.update({ where: { id: inv.id }, data: { acceptedAt: new Date(), acceptedById: user.userId } });
    await recordAudit(
      { action: "invitation.accepted", actorUserId: user.userId, workspaceId: inv.workspaceId, target: inv.id, metadata: { role: inv.role, joined: joined.count > 0 }, ip },
      tx,
    );
    const membership = (await membershipOf())!;
    return { workspace: { id: inv.workspaceId, name: inv.workspace.name }, role: membership.role };
  });
}
