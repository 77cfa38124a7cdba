import type { z } from "zod";
import { hashAccountToken, newAccountToken } from "@/lib/accounts/account-tokens";
import { recordAudit } from "@/lib/audit/record-audit";
import { assertCan, requireUser } from "@/lib/auth/permissions";
import type { Principal } from "@/lib/auth/principal";
import { db } from "@/lib/db/client";
import type { Role } from "@/lib/generated/prisma/enums";
import { newestFirstAfter, newestFirstPage } from "@/lib/http/cursor";
import { ApiError } from "@/lib/http/errors";
import { mailAvailable, sendMail } from "@/lib/mail/mail";
import type { createInvitationBodySchema, listInvitationsQuerySchema } from "./schemas";

// Owners invite an e-mail address into their workspace (SPEC §2 memberships). The
// answer is the same whether or not the address has an Agora account, and never
// names a user: the invitee decides, by following the mailed link and accepting.

const INVITATION_TTL_MS = 7 * 24 * 60 * 60 * 1000;
/** Invitations a workspace may send in any 24 hours: enough for a team, too few for spam. */
export const INVITATIONS_PER_WORKSPACE_PER_DAY = 50;
const DAY_MS = 24 * 60 * 60 * 1000;

export type InvitationStatus = "pending" | "accepted" | "revoked" | "expired";

type InvitationRow = { id: string; email: string; role: Role; createdAt: Date; expiresAt: Date; acceptedAt: Date | null; revokedAt: Date | null };

const invitationSelect = { id: true, email: true, role: true, createdAt: true, expiresAt: true, acceptedAt: true, revokedAt: true } as const;

export function invitationStatus(row: Pick<InvitationRow, "expiresAt" | "acceptedAt" | "revokedAt">, now = new Date()): InvitationStatus {
  if (row.acceptedAt) return "accepted";
  if (row.revokedAt) return "revoked";
  return row.expiresAt <= now ? "expired" : "pending";
}

/** The where-clause of invitations that can still be accepted. */
const pendingInvitation = (now = new Date()) => ({ acceptedAt: null, revokedAt: null, expiresAt: { gt: now } });

const invitationJson = (row: InvitationRow) => ({
  id: row.id,
  email: row.email,
  role: row.role,
  status: invitationStatus(row),
  createdAt: row.createdAt,
  expiresAt: row.expiresAt,
});

type InvitationJson = ReturnType<typeof invitationJson>;

/** Names and workspace titles are typed by users: one line of plain text in a subject. */
const oneLine = (text: string) => text.replace(/[\u0000-\u001f\u007f\s]+/g, " ").trim().slice(0, 80);

function invitationMail(principal: Extract<Principal, { kind: "user" }>, to: string, role: Role, link: string) {
  const inviter = oneLine(principal.name ?? principal.email);
  const workspace = oneLine(principal.workspace.name);
  // The link comes before any text a user typed, so it is the first link a mail client shows.
  return {
    to,
    subject: `${inviter} invited you to ${workspace} on Agora`,
    text:
      `You are invited to join a workspace on Agora as ${role === "OWNER" ? "an owner" : "a member"}. ` +
      `Open this link to see the invitation and accept it:\n\n${link}\n\n` +
      `Invited by: ${inviter}\nWorkspace: ${workspace}\n\n` +
      `The link works once and expires in 7 days. If you did not expect this invitation, ignore this mail.\n`,
  };
}

/**
 * Owners invite an address with a role. A pending invitation to the same address is
 * replaced (its link stops working). Under a per-workspace lock, so the daily cap
 * and the replacement hold under concurrent invitations.
 */
export async function inviteMember(principal: Principal, input: z.output<typeof createInvitationBodySchema>, appUrl: string, ip: string | null = null): Promise<InvitationJson> {
  assertCan(principal, "members.manage");
  const inviter = requireUser(principal);
  if (!mailAvailable()) throw new ApiError("mail_unavailable", "Invitations are sent by e-mail, which is not configured on this server (SMTP_URL). Ask the operator.");
  const workspaceId = principal.workspace.id;
  const token = newAccountToken();
  const now = new Date();
  const row = await db.$transaction(async (tx) => {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`agora:invitations:${workspaceId}`}))`;
    const member = await tx.membership.findFirst({ where: { workspaceId, user: { email: input.email } }, select: { id: true } });
    if (member) throw new ApiError("conflict", "This address is already a member of this workspace.", { field: "email" });
    const sentToday = await tx.invitation.count({ where: { workspaceId, createdAt: { gt: new Date(now.getTime() - DAY_MS) } } });
    if (sentToday >= INVITATIONS_PER_WORKSPACE_PER_DAY) {
      throw new ApiError("rate_limited", `This workspace has sent ${INVITATIONS_PER_WORKSPACE_PER_DAY} invitations in the last 24 hours, the most allowed. Try again tomorrow.`, {
        limit: INVITATIONS_PER_WORKSPACE_PER_DAY,
      });
    }
    const replaced = await tx.invitation.updateMany({ where: { workspaceId, email: input.email, ...pendingInvitation(now) }, data: { revokedAt: now } });
    const created = await tx.invitation.create({
      data: { workspaceId, email: input.email, role: input.role, tokenHash: hashAccountToken(token), invitedById: inviter.userId, expiresAt: new Date(now.getTime() + INVITATION_TTL_MS) },
      select: invitationSelect,
    });
    await recordAudit(
      { action: "invitation.created", actorUserId: inviter.userId, workspaceId, target: created.id, metadata: { email: input.email, role: input.role, replaced: replaced.count }, ip },
      tx,
    );
    return created;
  });
  try {
    await sendMail(invitationMail(inviter, input.email, input.role, `${appUrl}/invitations/${token}`));
  } catch {
    // Nobody received this link: revoke it, so the pending list shows only invitations that went out.
    await db.invitation.update({ where: { id: row.id }, data: { revokedAt: new Date() } });
    throw new ApiError("service_unavailable", "The invitation mail could not be sent. Try again in a moment.");
  }
  return invitationJson(row);
}

/** The workspace's pending invitations, newest first (owners). */
export async function listInvitations(principal: Principal, q: z.output<typeof listInvitationsQuerySchema>) {
  assertCan(principal, "members.manage");
  const after = newestFirstAfter(q.cursor);
  const rows = await db.invitation.findMany({
    where: { workspaceId: principal.workspace.id, ...pendingInvitation(), ...(after ? { AND: [after] } : {}) },
    select: invitationSelect,
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: q.limit + 1,
  });
  const { page, nextCursor } = newestFirstPage(rows, q.limit);
  return { data: page.map(invitationJson), nextCursor };
}

/** Owners revoke an invitation: its link stops working. Revoking one no longer pending changes nothing. */
export async function revokeInvitation(principal: Principal, id: string, ip: string | null = null): Promise<void> {
  assertCan(principal, "members.manage");
  const workspaceId = principal.workspace.id;
  const revoked = await db.$transaction(async (tx) => {
    const { count } = await tx.invitation.updateMany({ where: { id, workspaceId, ...pendingInvitation() }, data: { revokedAt: new Date() } });
    if (count) await recordAudit({ action: "invitation.revoked", actorUserId: principal.userId, workspaceId, target: id, ip }, tx);
    return count > 0;
  });
  if (revoked) return;
  const row = await db.invitation.findFirst({ where: { id, workspaceId }, select: { acceptedAt: true } });
  if (!row) throw new ApiError("not_found", "No such invitation in this workspace.");
  if (row.acceptedAt) throw new ApiError("conflict", "This invitation was already accepted; remove the member instead.");
}
