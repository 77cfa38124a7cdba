// PATCH /api/v1/routing-rules/:id — any of name, conditions, team, urgency, enabled, position (1 = first)
// DELETE /api/v1/routing-rules/:id — 204; later rules move up
import { idParams } from "@/lib/http/params";
import { route } from "@/lib/http/route";
import { deleteRule, ruleSchema, updateRule, updateRuleSchema } from "@/lib/routing/routing-rules";

export const PATCH = route({ permission: "workspace.write", params: idParams, body: updateRuleSchema, response: ruleSchema, summary: "Change a rule's fields or move it (position 1 = first)." }, async ({ principal, params, body }) => updateRule(principal.workspace.id, params.id, body));

export const DELETE = route({ permission: "workspace.write", params: idParams, status: 204, summary: "Delete a rule; later rules move up." }, async ({ principal, params }) => {
  await deleteRule(principal.workspace.id, params.id);
  return new Response(null, { status: 204 });
});
