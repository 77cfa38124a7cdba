import { describe, expect, it } from "vitest";
import { conditionSchema, evaluateRules, ticketSchema, type Rule } from "@/lib/routing/evaluate-rules";

const rule = (id: string, position: number, conditions: Rule["conditions"], team: string, urgency: Rule["urgency"], enabled = true): Rule => ({ id, name: `rule ${id}`, position, conditions, team, urgency, enabled });

const rules: Rule[] = [
  rule("sec", 1, [{ field: "category", op: "equals", value: "security" }], "security", "CRITICAL"),
  rule("ent", 2, [{ field: "customer.plan", op: "in", value: ["enterprise", "business"] }, { field: "text", op: "contains", value: ["down", "504"] }], "sre-on-call", "CRITICAL"),
  rule("off", 3, [{ field: "subject", op: "contains", value: "invoice" }], "nobody", "LOW", false),
  rule("bill", 4, [{ field: "category", op: "equals", value: "Billing" }], "billing", "NORMAL"),
  rule("feat", 5, [{ field: "tags", op: "contains", value: "feature-request" }, { field: "customer.plan", op: "not_equals", value: "free" }], "product", "LOW"),
];

const ticket = (t: Record<string, unknown>) => ticketSchema.parse(t);

describe("evaluate_routing_rules", () => {
  it("routes by the first matching rule in position order, case-insensitively", () => {
    const d = evaluateRules(rules, ticket({ subject: "Checkout DOWN", body: "all requests 504", customer: { plan: "Enterprise" }, category: "outage" }));
    expect(d).toMatchObject({ matched: { id: "ent", position: 2 }, team: "sre-on-call", urgency: "CRITICAL" });
    expect(d.reason).toBe('Rule "rule ent" matched: customer.plan in [enterprise, business] and text contains [down, 504].');
    // The first rule was checked and failed on its only condition, with the value it saw.
    expect(d.evaluated[0]).toEqual({ ruleId: "sec", name: "rule sec", matched: false, failed: [{ field: "category", op: "equals", value: "security", actual: "outage" }] });
  });

  it("skips disabled rules", () => {
    const d = evaluateRules(rules, ticket({ subject: "Invoice question", category: "billing" }));
    expect(d.matched?.id).toBe("bill");
    expect(d.evaluated.map((e) => e.ruleId)).toEqual(["sec", "ent", "bill"]);
  });

  it("matches list fields by element and honours not_equals", () => {
    expect(evaluateRules(rules, ticket({ subject: "Dark mode", tags: ["UI", "feature-request"], customer: { plan: "pro" } })).matched?.id).toBe("feat");
    expect(evaluateRules(rules, ticket({ subject: "Dark mode", tags: ["feature-request"], customer: { plan: "free" } })).matched).toBeNull();
  });

  it("falls back to the default queue when nothing matches, or there are no rules", () => {
    expect(evaluateRules(rules, ticket({ subject: "Hello" }))).toMatchObject({ matched: null, team: "support", urgency: "NORMAL" });
    expect(evaluateRules([], ticket({ subject: "Hello" })).reason).toMatch(/no enabled routing rules/);
  });

  it("context is a field rules can use", () => {
    const withContext = [rule("ctx", 1, [{ field: "context", op: "contains", value: "third time" }], "escalations", "HIGH")];
    expect(evaluateRules(withContext, ticket({ subject: "Again" }), "This is the third time this week").team).toBe("escalations");
  });

  it("refuses malformed conditions", () => {
    expect(conditionSchema.safeParse({ field: "subject", op: "in", value: "x" }).success).toBe(false);
    expect(conditionSchema.safeParse({ field: "password", op: "equals", value: "x" }).success).toBe(false);
    expect(conditionSchema.safeParse({ field: "subject", op: "matches", value: ".*" }).success).toBe(false);
  });
});
