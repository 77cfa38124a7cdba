// POST /api/v1/admin/workspaces/:id/credits — { direction: "grant" | "deduct", amountMicros, reason }: a ledger transfer with the admin and the reason
import { idParams } from "@/lib/http/params";
import { adjustCredits } from "@/lib/admin/workspaces";
import { creditsBodySchema } from "@/lib/admin/schemas";
import { requireUser } from "@/lib/auth/permissions";
import { route } from "@/lib/http/route";

export const POST = route({ permission: "platform.admin", params: idParams, body: creditsBodySchema }, async ({ principal, params, body, ip }) => adjustCredits(requireUser(principal), params.id, body, ip));
