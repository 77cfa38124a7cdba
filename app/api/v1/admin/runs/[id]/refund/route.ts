// POST /api/v1/admin/runs/:id/refund — { reason }: refunds a charged run — the charge back, a third-party run's share and fee taken back (audit-logged)
import { refundBodySchema, runRefundSchema } from "@/lib/admin/schemas";
import { requireUser } from "@/lib/auth/permissions";
import { db } from "@/lib/db/client";
import { idParams } from "@/lib/http/params";
import { route } from "@/lib/http/route";
import { microsJson } from "@/lib/money/format";
import { refundRun } from "@/lib/ledger/run-refund";

export const POST = route({ permission: "platform.admin", params: idParams, body: refundBodySchema, response: runRefundSchema, summary: "Refund a charged run, taking back a third-party run's share and fee" }, async ({ principal, params, body, ip }) => {
  const r = await refundRun(db, { runId: params.id, actorUserId: requireUser(principal).userId, memo: body.reason, ip });
  return { refundedMicros: microsJson(r.refundedMicros), share: r.share };
});
