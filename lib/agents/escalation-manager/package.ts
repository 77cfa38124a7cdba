import { z } from "zod";
import { listRules } from "@/lib/routing/routing-rules";
import { evaluateRules, ticketSchema, urgencies, type RoutingDecision } from "@/lib/routing/evaluate-rules";
import { definePackage, defineTool } from "../define-package";

const inputSchema = z.object({
  ticket: ticketSchema,
  context: z.string().max(20_000).default(""),
});

const outputSchema = z.object({
  team: z.string().min(1),
  urgency: z.enum(urgencies),
  reason: z.string().min(1),
  matchedRule: z.object({ id: z.string(), name: z.string() }).nullable(),
  checked: z.array(z.object({ rule: z.string(), matched: z.boolean(), failed: z.array(z.string()) })),
});

export const escalationManager = definePackage({
  slug: "escalation-manager",
  name: "Escalation Manager",
  summary: "Routes a ticket or incident to the right team with the right urgency, using your workspace's own routing rules — and says which rule decided.",
  description: [
    "Give the `ticket` (subject, body, category, priority, customer, tags) and any `context`.",
    "",
    "`evaluate_routing_rules` checks the workspace's routing rules in order — edit them on the **Routing rules** page or through `/api/v1/routing-rules` — and the first enabled rule whose conditions all hold decides the team and urgency. Conditions compare fields (`subject`, `body`, `text`, `category`, `priority`, `customer.plan`, `customer.email`, `tags`, `context`) with `contains`, `not_contains`, `equals`, `not_equals` or `in`, case-insensitively.",
    "",
    "With no matching rule the ticket goes to the default `support` queue at normal urgency.",
  ].join("\n"),
  category: "support",
  capabilities: ["escalation", "routing", "triage", "on-call"],
  version: "1.0.0",
  model: "claude-haiku-4-5",
  maxOutputTokens: 1_024,
  baseFeeMicros: 500n,
  input: inputSchema,
  output: outputSchema,
  exampleInput: {
    ticket: {
      subject: "Checkout is down for our customers",
      body: "Since 14:00 UTC every checkout returns a 504. We are losing orders.",
      category: "outage",
      priority: "urgent",
      customer: { name: "Northwind", plan: "enterprise" },
      tags: ["checkout"],
    },
    context: "Second report in an hour.",
  },
  systemPrompt:
    "You route tickets. Call evaluate_routing_rules with the ticket and context and return its team, urgency and matched rule. Explain the decision in one or two sentences; only raise the urgency above the rule's when the context clearly demands it, and say so.",
  tools: [
    defineTool({
      name: "evaluate_routing_rules",
      description: "Evaluate the workspace's routing rules, in order, against the ticket; returns the first matching rule's team and urgency and why each earlier rule did not match.",
      input: inputSchema,
      handler: async (input, ctx): Promise<RoutingDecision> => evaluateRules(await listRules(ctx.workspaceId, ctx.db), input.ticket, input.context),
    }),
  ],
  offline: {
    plan: (input) => [{ tool: "evaluate_routing_rules", input }],
    compose: (_input, results) => {
      const d = results.evaluate_routing_rules as RoutingDecision;
      return {
        team: d.team,
        urgency: d.urgency,
        reason: d.reason,
        matchedRule: d.matched && { id: d.matched.id, name: d.matched.name },
        checked: d.evaluated.map((e) => ({ rule: e.name, matched: e.matched, failed: e.failed.map((f) => `${f.field} ${f.op} ${JSON.stringify(f.value)} (was "${f.actual}")`) })),
      };
    },
  },
});
