// GET /api/v1/routing-rules — the workspace's routing rules in evaluation order
// POST /api/v1/routing-rules — { name, conditions: [{ field, op, value }], team, urgency, enabled? }: 201, added last
import { z } from "zod";
import { json, route } from "@/lib/http/route";
import { createRule, createRuleSchema, listRules, ruleSchema } from "@/lib/routing/routing-rules";

export const GET = route({ permission: "workspace.read", response: z.object({ data: z.array(ruleSchema) }), summary: "The workspace's routing rules in evaluation order." }, async ({ principal }) => ({ data: await listRules(principal.workspace.id) }));

export const POST = route({ permission: "workspace.write", body: createRuleSchema, response: ruleSchema, status: 201, summary: "Add a routing rule, last." }, async ({ principal, body }) => json(await createRule(principal.workspace.id, body), 201));
