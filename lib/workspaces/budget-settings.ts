import { z } from "zod";
import { recordAudit } from "@/lib/audit/record-audit";
import { assertCan, requireUser } from "@/lib/auth/permissions";
import type { Principal } from "@/lib/auth/principal";
import { db } from "@/lib/db/client";
import { microsJson } from "@/lib/money/format";
import { monthSpend, nextMonth, WORKSPACE_SCOPE } from "@/lib/ledger/budgets";

/** A money amount a person types in: whole micro-USD, at most $1,000,000. */
export const microsInputSchema = z.number().int("Amounts are whole micro-USD.").min(0).max(1_000_000_000_000);

// Strict: any other field (tier, balance, suspended…) is a 400, never silently written.
export const workspaceSettingsBodySchema = z.strictObject({
  monthlySpendCapMicros: microsInputSchema.nullable(),
});

/** The workspace's tier limits, monthly cap and this month's spend. */
export async function getWorkspaceSettings(principal: Principal) {
  const w = await db.workspace.findUniqueOrThrow({
    where: { id: principal.workspace.id },
    select: {
      id: true,
      name: true,
      slug: true,
      paymentMode: true,
      monthlySpendCapMicros: true,
      tier: { select: { code: true, name: true, requestsPerMinute: true, runsPerHour: true, concurrentRuns: true, tokensPerDay: true, priceMultiplierBps: true } },
    },
  });
  const now = new Date();
  const month = await monthSpend(db, w.id, WORKSPACE_SCOPE, now);
  return {
    ...w,
    tier: { ...w.tier, tokensPerDay: Number(w.tier.tokensPerDay) },
    monthlySpendCapMicros: w.monthlySpendCapMicros === null ? null : microsJson(w.monthlySpendCapMicros),
    thisMonth: { spentMicros: microsJson(month.spentMicros), heldMicros: microsJson(month.heldMicros), resetsAt: nextMonth(now).toISOString() },
  };
}

/** Owners set (or clear, with null) the monthly spend cap; audit-logged. Effective for the next run accepted. */
export async function updateWorkspaceSettings(principal: Principal, body: z.output<typeof workspaceSettingsBodySchema>, ip: string | null) {
  assertCan(principal, "members.manage");
  const user = requireUser(principal);
  await db.$transaction(async (tx) => {
    const before = await tx.workspace.findUniqueOrThrow({ where: { id: user.workspace.id }, select: { monthlySpendCapMicros: true } });
    const cap = body.monthlySpendCapMicros === null ? null : BigInt(body.monthlySpendCapMicros);
    await tx.workspace.update({ where: { id: user.workspace.id }, data: { monthlySpendCapMicros: cap } });
    await recordAudit(
      {
        action: "workspace.spend_cap_changed",
        actorUserId: user.userId,
        workspaceId: user.workspace.id,
        target: user.workspace.id,
        metadata: { from: before.monthlySpendCapMicros === null ? null : microsJson(before.monthlySpendCapMicros), to: body.monthlySpendCapMicros },
        ip,
      },
      tx,
    );
  });
  return getWorkspaceSettings(principal);
}
