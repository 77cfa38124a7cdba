// GET /api/v1/workspace — the current workspace: tier limits, monthly spend cap, this month's spend
// PATCH /api/v1/workspace — owners set the monthly spend cap ({ monthlySpendCapMicros: number | null })
import { route } from "@/lib/http/route";
import { getWorkspaceSettings, updateWorkspaceSettings, workspaceSettingsBodySchema } from "@/lib/workspaces/budget-settings";
import { workspaceSettingsSchema } from "@/lib/workspaces/schemas";

export const GET = route({ permission: "workspace.read", response: workspaceSettingsSchema, summary: "The current workspace: tier limits, monthly spend cap, this month's spend." }, async ({ principal }) => getWorkspaceSettings(principal));

export const PATCH = route({ permission: "members.manage", body: workspaceSettingsBodySchema, response: workspaceSettingsSchema, summary: "Set the monthly spend cap (owners)." }, async ({ principal, body, ip }) =>
  updateWorkspaceSettings(principal, body, ip),
);
