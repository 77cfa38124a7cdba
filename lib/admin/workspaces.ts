import type { z } from "zod";
import { recordAudit } from "@/lib/audit/record-audit";
import { forgetPrincipals, type Principal } from "@/lib/auth/principal";
import { db } from "@/lib/db/client";
import type { Prisma } from "@/lib/generated/prisma/client";
import { ApiError } from "@/lib/http/errors";
import { microsJson } from "@/lib/money/format";
import { newestFirstAfter, newestFirstPage } from "@/lib/http/cursor";
import { inLedgerTransaction, InsufficientFunds, LedgerError, SYSTEM_ACCOUNTS, transfer, walletFor, workspaceBalance } from "@/lib/ledger/ledger";
import { runSummarySelect, runSummaryJson } from "@/lib/runs/run-queries";
import type { adminWorkspaceBodySchema, creditsBodySchema, searchQuerySchema } from "./schemas";

// Workspaces for operators: search, everything about one, and the actions —
// tier, spend cap, suspension, and credits granted or deducted (ledger
// transfers carrying the admin and the reason; never an edit of a balance).

type Admin = Extract<Principal, { kind: "user" }>;

export async function searchWorkspaces(q: z.output<typeof searchQuerySchema>) {
  const where: Prisma.WorkspaceWhereInput = { ...newestFirstAfter(q.cursor) };
  if (q.q) where.OR = [{ name: { contains: q.q, mode: "insensitive" } }, { slug: { contains: q.q.toLowerCase() } }, { id: q.q }, { stripeCustomerId: q.q }];
  const rows = await db.workspace.findMany({
    where,
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: q.limit + 1,
    select: { id: true, name: true, slug: true, tierCode: true, paymentMode: true, suspendedAt: true, createdAt: true, _count: { select: { memberships: true, runs: true } }, ledgerAccount: { select: { postedMicros: true, pendingDebitsMicros: true } } },
  });
  const { page, nextCursor } = newestFirstPage(rows, q.limit);
  return {
    data: page.map((w) => ({
      id: w.id,
      name: w.name,
      slug: w.slug,
      tier: w.tierCode,
      paymentMode: w.paymentMode,
      suspended: w.suspendedAt !== null,
      members: w._count.memberships,
      runs: w._count.runs,
      availableMicros: w.ledgerAccount ? microsJson(w.ledgerAccount.postedMicros - w.ledgerAccount.pendingDebitsMicros) : 0,
      createdAt: w.createdAt.toISOString(),
    })),
    nextCursor,
  };
}

export async function workspaceDetail(id: string) {
  const w = await db.workspace.findUnique({
    where: { id },
    include: {
      memberships: { select: { role: true, user: { select: { id: true, email: true, name: true, disabledAt: true } } }, orderBy: { createdAt: "asc" } },
      apiKeys: { select: { id: true, name: true, prefix: true, createdAt: true, lastUsedAt: true, revokedAt: true, monthlySpendLimitMicros: true }, orderBy: { createdAt: "desc" } },
    },
  });
  if (!w) throw new ApiError("not_found", "No such workspace.");
  const [balance, runs] = await Promise.all([
    workspaceBalance(db, id),
    db.run.findMany({ where: { workspaceId: id }, orderBy: [{ createdAt: "desc" }, { id: "desc" }], take: 20, select: runSummarySelect }),
  ]);
  return {
    id: w.id,
    name: w.name,
    slug: w.slug,
    tier: w.tierCode,
    paymentMode: w.paymentMode,
    monthlySpendCapMicros: w.monthlySpendCapMicros === null ? null : microsJson(w.monthlySpendCapMicros),
    suspended: w.suspendedAt ? { at: w.suspendedAt.toISOString(), reason: w.suspendedReason } : null,
    pastDueSince: w.pastDueSince?.toISOString() ?? null,
    stripe: { customerId: w.stripeCustomerId, subscriptionId: w.stripeSubscriptionId, subscriptionStatus: w.stripeSubscriptionStatus },
    balance: { availableMicros: microsJson(balance.availableMicros), postedMicros: microsJson(balance.postedMicros), heldMicros: microsJson(balance.pendingDebitsMicros) },
    members: w.memberships.map(({ role, user: { disabledAt, ...user } }) => ({ ...user, disabled: disabledAt !== null, role })),
    keys: w.apiKeys.map((k) => ({ ...k, monthlySpendLimitMicros: k.monthlySpendLimitMicros === null ? null : microsJson(k.monthlySpendLimitMicros) })),
    runs: runs.map(runSummaryJson),
    createdAt: w.createdAt.toISOString(),
  };
}

export async function adminUpdateWorkspace(admin: Admin, id: string, body: z.output<typeof adminWorkspaceBodySchema>, ip: string | null) {
  await db.$transaction(async (tx) => {
    const before = await tx.workspace.findUnique({ where: { id }, select: { tierCode: true, monthlySpendCapMicros: true, suspendedAt: true } });
    if (!before) throw new ApiError("not_found", "No such workspace.");
    if (body.tierCode && !(await tx.tier.findUnique({ where: { code: body.tierCode }, select: { code: true } }))) {
      throw new ApiError("validation_failed", "No such tier.", { issues: [{ path: "tierCode", message: "No such tier." }] });
    }
    await tx.workspace.update({
      where: { id },
      data: {
        ...(body.tierCode ? { tierCode: body.tierCode } : {}),
        ...(body.monthlySpendCapMicros === undefined ? {} : { monthlySpendCapMicros: body.monthlySpendCapMicros === null ? null : BigInt(body.monthlySpendCapMicros) }),
        ...(body.suspend ? { suspendedAt: new Date(), suspendedReason: body.suspend.reason } : {}),
        ...(body.unsuspend ? { suspendedAt: null, suspendedReason: null } : {}),
      },
    });
    const audit = (action: string, metadata: Prisma.InputJsonValue) => recordAudit({ action, actorUserId: admin.userId, workspaceId: id, target: id, metadata, ip }, tx);
    if (body.tierCode && body.tierCode !== before.tierCode) await audit("admin.workspace.tier_changed", { from: before.tierCode, to: body.tierCode });
    if (body.monthlySpendCapMicros !== undefined) await audit("admin.workspace.spend_cap_changed", { from: before.monthlySpendCapMicros === null ? null : Number(before.monthlySpendCapMicros), to: body.monthlySpendCapMicros });
    if (body.suspend) await audit("admin.workspace.suspended", { reason: body.suspend.reason });
    if (body.unsuspend && before.suspendedAt) await audit("admin.workspace.unsuspended", {});
  });
  await forgetPrincipals({ workspaceId: id });
  return workspaceDetail(id);
}

/**
 * A grant (promotions → wallet) or deduction (wallet → promotions), with the
 * admin and the reason on the transfer. Booked once per idempotency key (the
 * admin console sends a fresh one per filled-in form): a retried or
 * double-submitted request, even concurrent, returns the workspace as the
 * first left it; the same key with another amount or direction is a 409.
 */
export async function adjustCredits(admin: Admin, id: string, body: z.output<typeof creditsBodySchema>, opts: { idempotencyKey: string; ip: string | null }) {
  const amount = BigInt(body.amountMicros);
  await inLedgerTransaction(db, async (tx) => {
    if (!(await tx.workspace.findUnique({ where: { id }, select: { id: true } }))) throw new ApiError("not_found", "No such workspace.");
    const wallet = await walletFor(tx, id);
    const grant = body.direction === "grant";
    try {
      const t = await transfer(tx, {
        debit: grant ? SYSTEM_ACCOUNTS.promotions : wallet,
        credit: grant ? wallet : SYSTEM_ACCOUNTS.promotions,
        amount,
        reason: grant ? "admin_grant" : "admin_deduct",
        workspaceId: id,
        actorUserId: admin.userId,
        memo: body.reason,
        idempotencyKey: `admin_credits:${id}:${opts.idempotencyKey}`,
      });
      if (t.replayed) return;
      await recordAudit({ action: grant ? "admin.credits.granted" : "admin.credits.deducted", actorUserId: admin.userId, workspaceId: id, target: t.id, metadata: { amountMicros: body.amountMicros, reason: body.reason }, ip: opts.ip }, tx);
    } catch (err) {
      if (err instanceof LedgerError && err.code === "idempotency_conflict") throw new ApiError("idempotency_key_reused", "This Idempotency-Key was already used for a different grant or deduction; send a fresh key for a new one.");
      if (err instanceof InsufficientFunds) throw new ApiError("conflict", `The workspace has only ${Number(err.availableMicros)} micro-USD available; deduct at most that.`, { availableMicros: Number(err.availableMicros) });
      throw err;
    }
  });
  return workspaceDetail(id);
}

/** Revokes any workspace's key (an admin's action, audit-logged). */
export async function adminRevokeKey(admin: Admin, workspaceId: string, keyId: string, ip: string | null) {
  const key = await db.apiKey.findFirst({ where: { id: keyId, workspaceId }, select: { id: true, revokedAt: true } });
  if (!key) throw new ApiError("not_found", "No such key in this workspace.");
  if (!key.revokedAt) {
    await db.$transaction(async (tx) => {
      await tx.apiKey.update({ where: { id: keyId }, data: { revokedAt: new Date() } });
      await recordAudit({ action: "admin.api_key.revoked", actorUserId: admin.userId, workspaceId, target: keyId, ip }, tx);
    });
    await forgetPrincipals({ apiKeyId: keyId });
  }
  return workspaceDetail(workspaceId);
}
