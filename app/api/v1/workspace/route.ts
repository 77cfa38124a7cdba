// GET /api/v1/workspace — the current workspace: tier limits, monthly spend cap, this month's spend
// PATCH /api/v1/workspace — owners set the monthly spend cap ({ monthlySpendCapMicros: number | null })
import { route } from "@/lib/http/route";
import { getWorkspaceSettings, updateWorkspaceSettings, workspaceSettingsBodySchema } from "@/lib/workspaces/budget-settings";

export const GET = route({ permission: "workspace.read" }, async ({ principal }) => getWorkspaceSettings(principal));

export const PATCH = route({ permission: "members.manage", body: workspaceSettingsBodySchema }, async ({ principal, body, ip }) =>
  updateWorkspaceSettings(principal, body, ip),
);
