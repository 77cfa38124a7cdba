import { z } from "zod";

// Routing rules (Escalation Manager, SPEC §6): each rule is a list of conditions
// on the ticket, all of which must hold; the first enabled rule by position that
// matches decides the team and urgency. Plain comparisons only — no customer
// text is ever evaluated as code or as a regular expression.

export const routingFields = ["subject", "body", "text", "category", "priority", "customer.plan", "customer.email", "tags", "context"] as const;
export const routingOps = ["contains", "not_contains", "equals", "not_equals", "in"] as const;
export const urgencies = ["LOW", "NORMAL", "HIGH", "CRITICAL"] as const;

export const conditionSchema = z
  .object({
    field: z.enum(routingFields),
    op: z.enum(routingOps),
    value: z.union([z.string().trim().min(1).max(200), z.array(z.string().trim().min(1).max(200)).min(1).max(50)]),
  })
  .refine((c) => c.op !== "in" || Array.isArray(c.value), { message: "`in` takes a list of values.", path: ["value"] });
export type Condition = z.infer<typeof conditionSchema>;

export const ticketSchema = z.object({
  subject: z.string().trim().min(1, "Give the ticket's subject.").max(500),
  body: z.string().max(50_000).default(""),
  category: z.string().trim().max(100).optional(),
  priority: z.string().trim().max(50).optional(),
  customer: z.object({ name: z.string().max(200).optional(), email: z.string().max(320).optional(), plan: z.string().max(50).optional() }).default({}),
  tags: z.array(z.string().max(100)).max(50).default([]),
});
export type Ticket = z.output<typeof ticketSchema>;

export type Rule = { id: string; name: string; position: number; conditions: Condition[]; team: string; urgency: (typeof urgencies)[number]; enabled: boolean };

export type RuleEvaluation = { ruleId: string; name: string; matched: boolean; failed: (Condition & { actual: string })[] };

export type RoutingDecision = {
  matched: { id: string; name: string; position: number } | null;
  team: string;
  urgency: (typeof urgencies)[number];
  reason: string;
  evaluated: RuleEvaluation[];
};

function fieldValue(ticket: Ticket, context: string, field: Condition["field"]): string | string[] {
  switch (field) {
    case "text":
      return `${ticket.subject}\n${ticket.body}\n${context}`;
    case "customer.plan":
      return ticket.customer.plan ?? "";
    case "customer.email":
      return ticket.customer.email ?? "";
    case "tags":
      return ticket.tags;
    case "context":
      return context;
    default:
      return ticket[field] ?? "";
  }
}

const values = (v: Condition["value"]) => (Array.isArray(v) ? v : [v]).map((s) => s.toLowerCase());

function holds(actual: string | string[], c: Condition): boolean {
  const wanted = values(c.value);
  const list = Array.isArray(actual) ? actual.map((a) => a.toLowerCase()) : null;
  const text = Array.isArray(actual) ? "" : actual.toLowerCase();
  switch (c.op) {
    case "contains": // text: any value is a substring; list: any value is an element
      return wanted.some((w) => (list ? list.includes(w) : text.includes(w)));
    case "not_contains":
      return !wanted.some((w) => (list ? list.includes(w) : text.includes(w)));
    case "equals":
    case "in":
      return wanted.some((w) => (list ? list.includes(w) : text === w));
    case "not_equals":
      return !wanted.some((w) => (list ? list.includes(w) : text === w));
  }
}

export const FALLBACK = { team: "support", urgency: "NORMAL" as const };

/** The evaluate_routing_rules decision for a ticket. */
export function evaluateRules(rules: Rule[], ticket: Ticket, context = ""): RoutingDecision {
  const evaluated: RuleEvaluation[] = [];
  for (const rule of [...rules].sort((a, b) => a.position - b.position)) {
    if (!rule.enabled) continue;
    const failed = rule.conditions
      .filter((c) => !holds(fieldValue(ticket, context, c.field), c))
      .map((c) => {
        const actual = fieldValue(ticket, context, c.field);
        return { ...c, actual: (Array.isArray(actual) ? actual.join(", ") : actual).slice(0, 120) };
      });
    evaluated.push({ ruleId: rule.id, name: rule.name, matched: failed.length === 0, failed });
    if (!failed.length) {
      const why = rule.conditions.map((c) => `${c.field} ${c.op.replace("_", " ")} ${Array.isArray(c.value) ? `[${c.value.join(", ")}]` : `"${c.value}"`}`).join(" and ");
      return {
        matched: { id: rule.id, name: rule.name, position: rule.position },
        team: rule.team,
        urgency: rule.urgency,
        reason: `Rule "${rule.name}" matched: ${why || "no conditions (catch-all)"}.`,
        evaluated,
      };
    }
  }
  return { matched: null, ...FALLBACK, reason: evaluated.length ? `No rule matched (${evaluated.length} checked); the ticket goes to the default queue.` : "The workspace has no enabled routing rules; the ticket goes to the default queue.", evaluated };
}
