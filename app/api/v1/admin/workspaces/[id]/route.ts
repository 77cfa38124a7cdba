// GET /api/v1/admin/workspaces/:id — members, tier, payment mode, balance, runs, keys, Stripe ids
// PATCH /api/v1/admin/workspaces/:id — { tierCode?, monthlySpendCapMicros?, suspend?: { reason }, unsuspend?: true }
import { idParams } from "@/lib/http/params";
import { adminUpdateWorkspace, workspaceDetail } from "@/lib/admin/workspaces";
import { adminWorkspaceBodySchema, adminWorkspaceSchema } from "@/lib/admin/schemas";
import { requireUser } from "@/lib/auth/permissions";
import { route } from "@/lib/http/route";

export const GET = route({ permission: "platform.admin", params: idParams, response: adminWorkspaceSchema, summary: "Everything about one workspace: members, tier, balance, keys, recent runs, Stripe ids" }, async ({ params }) => workspaceDetail(params.id));

export const PATCH = route({ permission: "platform.admin", params: idParams, body: adminWorkspaceBodySchema, response: adminWorkspaceSchema, summary: "Change a workspace's tier or spend cap, suspend or unsuspend it" }, async ({ principal, params, body, ip }) =>
  adminUpdateWorkspace(requireUser(principal), params.id, body, ip),
);
