import { z } from "zod";

// classify_ticket: a support ticket's category and priority from explicit,
// weighted keyword rules (SPEC §6) — the same ticket always gets the same answer,
// with the rules that decided it.

export const ticketCategories = ["outage", "security", "billing", "account_access", "bug", "data_integration", "feature_request", "general"] as const;
export const ticketPriorities = ["low", "normal", "high", "urgent"] as const;
export type TicketCategory = (typeof ticketCategories)[number];
export type TicketPriority = (typeof ticketPriorities)[number];

export const customerSchema = z
  .object({
    name: z.string().trim().max(200).optional(),
    email: z.string().trim().max(320).optional(),
    plan: z.string().trim().max(50).optional(),
  })
  .default({});

export const classifyTicketInputSchema = z.object({
  subject: z.string().trim().min(1, "Give the ticket's subject.").max(500),
  body: z.string().trim().min(1, "Give the ticket's text.").max(50_000),
  customer: customerSchema,
});

type Rule = { category: TicketCategory; weight: number; terms: string[] };

// Phrases are matched on word boundaries, case-insensitively.
const rules: Rule[] = [
  { category: "outage", weight: 3, terms: ["outage", "is down", "are down", "site down", "not loading", "unavailable", "502", "503", "504", "bad gateway", "nothing works", "all users"] },
  { category: "security", weight: 3, terms: ["hacked", "breach", "phishing", "suspicious login", "suspicious sign-in", "unauthorized", "unauthorised", "vulnerability", "leaked", "compromised", "account takeover"] },
  { category: "billing", weight: 2, terms: ["invoice", "refund", "charged", "charge", "billing", "payment", "credit card", "subscription", "receipt", "vat", "overcharged", "pricing"] },
  { category: "account_access", weight: 2, terms: ["password", "reset", "locked out", "sign in", "sign-in", "log in", "login", "2fa", "two-factor", "mfa", "verification email"] },
  { category: "bug", weight: 1, terms: ["error", "bug", "broken", "crash", "crashes", "doesn't work", "does not work", "not working", "wrong", "exception", "500"] },
  { category: "data_integration", weight: 2, terms: ["export", "integration", "snowflake", "bigquery", "segment", "webhook", "sync", "import", "data retention", "missing data", "no data"] },
  { category: "feature_request", weight: 2, terms: ["feature request", "would be great", "could you add", "please add", "would love", "wish", "roadmap", "support for"] },
];

const urgentTerms = ["urgent", "asap", "immediately", "emergency", "production down", "losing money", "all users", "charged twice"];
const highPlans = new Set(["enterprise", "business", "pro"]);

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
const has = (text: string, term: string) => new RegExp(`(^|[^a-z0-9])${escape(term)}($|[^a-z0-9])`, "i").test(text);

export type Classification = {
  category: TicketCategory;
  priority: TicketPriority;
  confidence: number;
  escalate: boolean;
  scores: Record<TicketCategory, number>;
  matched: { category: TicketCategory; term: string }[];
  reasons: string[];
};

/** The classify_ticket tool. */
export function classifyTicket(input: z.output<typeof classifyTicketInputSchema>): Classification {
  // The subject counts twice: it is what the customer chose to lead with.
  const text = `${input.subject}\n${input.subject}\n${input.body}`;
  const scores = Object.fromEntries(ticketCategories.map((c) => [c, 0])) as Record<TicketCategory, number>;
  const matched: Classification["matched"] = [];
  for (const rule of rules) {
    for (const term of rule.terms) {
      if (!has(text, term)) continue;
      scores[rule.category] += rule.weight * (has(input.subject, term) ? 2 : 1);
      matched.push({ category: rule.category, term });
    }
  }
  const ranked = ticketCategories.filter((c) => c !== "general").sort((a, b) => scores[b] - scores[a]);
  const top = ranked[0]!;
  const category: TicketCategory = scores[top] > 0 ? top : "general";
  const total = ranked.reduce((sum, c) => sum + scores[c], 0);
  const confidence = category === "general" ? 0.3 : Math.round((scores[top] / total) * 100) / 100;

  const reasons: string[] = [];
  let level: number;
  if (category === "outage" || category === "security") {
    level = 3;
    reasons.push(`${category} tickets are urgent`);
  } else if (category === "feature_request") {
    level = 0;
    reasons.push("feature requests are low priority");
  } else {
    level = 1;
  }
  const urgent = urgentTerms.filter((t) => has(text, t));
  if (urgent.length && level < 3) {
    level = Math.min(3, level + 2);
    reasons.push(`the customer says: ${urgent.map((t) => `"${t}"`).join(", ")}`);
  }
  const plan = input.customer.plan?.toLowerCase();
  if (plan && highPlans.has(plan) && level < 3) {
    level++;
    reasons.push(`${plan} plan customers get one level higher`);
  }
  const priority = ticketPriorities[level]!;
  return { category, priority, confidence, escalate: priority === "urgent" || category === "security", scores, matched, reasons };
}
