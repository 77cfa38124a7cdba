import { describe, expect, it } from "vitest";
import { classifyTicket, classifyTicketInputSchema } from "@/lib/agents/ticket-resolver/classify-ticket";

const classify = (subject: string, body: string, plan?: string) => classifyTicket(classifyTicketInputSchema.parse({ subject, body, customer: plan ? { plan } : {} }));

describe("classify_ticket", () => {
  it("puts a password reset that never arrived in account access, normal priority, with the terms that decided", () => {
    const c = classify("Can't reset my password", "The reset email never arrived.");
    expect(c.category).toBe("account_access");
    expect(c.priority).toBe("normal");
    expect(c.escalate).toBe(false);
    expect(c.matched).toEqual(expect.arrayContaining([{ category: "account_access", term: "password" }, { category: "account_access", term: "reset" }]));
    // password (2, in subject ×2) + reset (2, in subject ×2) = 8; nothing else scores.
    expect(c.scores.account_access).toBe(8);
    expect(c.confidence).toBe(1);
  });

  it("makes an outage urgent and flags it for escalation", () => {
    const c = classify("Dashboard is down", "Every page returns 503 since 10:00.");
    expect(c).toMatchObject({ category: "outage", priority: "urgent", escalate: true });
    expect(c.reasons).toContain("outage tickets are urgent");
  });

  it("treats a suspicious login as security, escalated", () => {
    expect(classify("Suspicious login from abroad", "Someone signed in from an IP I don't know. Was I hacked?")).toMatchObject({ category: "security", priority: "urgent", escalate: true });
  });

  it("raises billing one level for an enterprise customer, and two when they say it is urgent", () => {
    expect(classify("Invoice has the wrong VAT number", "Please fix the invoice.", "enterprise")).toMatchObject({ category: "billing", priority: "high" });
    expect(classify("Charged twice this month", "We were charged twice, this is urgent.", "free")).toMatchObject({ category: "billing", priority: "urgent", escalate: true });
  });

  it("keeps feature requests low and unknown text general with low confidence", () => {
    expect(classify("Feature request: dark mode", "It would be great to have a dark theme.")).toMatchObject({ category: "feature_request", priority: "low" });
    expect(classify("Hello", "Just saying thanks for the product.")).toMatchObject({ category: "general", priority: "normal", confidence: 0.3 });
  });

  it("matches whole words only ('charger' is not 'charge')", () => {
    expect(classify("My laptop charger", "Unrelated question about a charger.").category).toBe("general");
  });

  it("refuses an empty ticket", () => {
    expect(classifyTicketInputSchema.safeParse({ subject: " ", body: "" }).success).toBe(false);
  });
});
