// POST /api/v1/admin/workspaces/:id/credits — { direction: "grant" | "deduct", amountMicros, reason } with an Idempotency-Key header:
//   a ledger transfer with the admin and the reason, booked once per key
import { adjustCredits } from "@/lib/admin/workspaces";
import { adminWorkspaceSchema, creditsBodySchema, creditsIdempotencyKey } from "@/lib/admin/schemas";
import { requireUser } from "@/lib/auth/permissions";
import { idParams } from "@/lib/http/params";
import { route } from "@/lib/http/route";

export const POST = route({ permission: "platform.admin", params: idParams, body: creditsBodySchema, response: adminWorkspaceSchema, summary: "Grant or deduct credits (once per Idempotency-Key)" }, async ({ req, principal, params, body, ip }) =>
  adjustCredits(requireUser(principal), params.id, body, { idempotencyKey: creditsIdempotencyKey(req.headers), ip }),
);
