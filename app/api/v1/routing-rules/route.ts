// GET /api/v1/routing-rules — the workspace's routing rules in evaluation order
// POST /api/v1/routing-rules — { name, conditions: [{ field, op, value }], team, urgency, enabled? }: 201, added last
import { json, route } from "@/lib/http/route";
import { createRule, createRuleSchema, listRules } from "@/lib/routing/routing-rules";

export const GET = route({ permission: "workspace.read" }, async ({ principal }) => ({ data: await listRules(principal.workspace.id) }));

export const POST = route({ permission: "workspace.write", body: createRuleSchema }, async ({ principal, body }) => json(await createRule(principal.workspace.id, body), 201));
