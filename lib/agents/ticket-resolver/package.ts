import { z } from "zod";
import { definePackage, defineTool } from "../define-package";
import { bestSentences, citationOf, citationSchema, queryTerms, searchDocumentsTool, type SearchDocumentsResult } from "../knowledge/search-documents-tool";
import { classifyTicket, classifyTicketInputSchema, ticketCategories, ticketPriorities, type Classification } from "./classify-ticket";

const outputSchema = z.object({
  category: z.enum(ticketCategories),
  priority: z.enum(ticketPriorities),
  reply: z.string().min(1),
  confidence: z.number().min(0).max(1),
  escalate: z.boolean(),
  reasons: z.array(z.string()),
  citations: z.array(citationSchema),
});

/** A search query from the ticket: its subject plus the body's most telling words. */
const ticketQuery = (subject: string, body: string) => [subject, ...queryTerms(body).slice(0, 12)].join(" ").slice(0, 500);

export const ticketResolver = definePackage({
  slug: "ticket-resolver",
  name: "Ticket Resolver",
  summary: "Classifies a support ticket, sets its priority, and drafts a reply grounded in your knowledge base — flagging the ones a human must take.",
  description: [
    "Give the ticket's `subject`, `body` and `customer` (name, email, plan).",
    "",
    "- `classify_ticket` sorts it into outage, security, billing, account access, bug, data/integration, feature request or general with weighted keyword rules, and sets the priority (urgent for outages and security; one level up for Pro, Business and Enterprise plans; up two when the customer says it is urgent).",
    "- `search_documents` finds the knowledge-base passages the reply relies on; the reply cites them.",
    "",
    "Urgent and security tickets are flagged for escalation (pair with the Escalation Manager to route them).",
  ].join("\n"),
  category: "support",
  capabilities: ["ticket triage", "customer support", "drafted replies", "citations"],
  version: "1.0.0",
  model: "claude-sonnet-5-5",
  maxOutputTokens: 2_048,
  baseFeeMicros: 1_500n,
  input: classifyTicketInputSchema,
  output: outputSchema,
  exampleInput: {
    subject: "Can't reset my password",
    body: "Hi, I asked for a password reset link twice this morning but the email never arrived. I need to get into the dashboards before our board meeting. Thanks, Priya",
    customer: { name: "Priya Natarajan", email: "priya@northwind.example", plan: "pro" },
  },
  systemPrompt:
    "You are a support engineer. Call classify_ticket, then search_documents for what the customer needs. Draft a short, friendly reply that answers from the documents (never invent policy), cite the chunks you used, and keep the classification's category, priority and escalate flag unless the ticket clearly contradicts them (say why in reasons).",
  tools: [
    defineTool({ name: "classify_ticket", description: "Category, priority, confidence and escalation flag of a ticket from weighted keyword rules.", input: classifyTicketInputSchema, handler: classifyTicket }),
    searchDocumentsTool,
  ],
  offline: {
    plan: (input) => [
      { tool: "classify_ticket", input },
      { tool: "search_documents", input: { query: ticketQuery(input.subject, input.body), limit: 3 } },
    ],
    compose: (input, results) => {
      const c = results.classify_ticket as Classification;
      const { results: hits } = results.search_documents as SearchDocumentsResult;
      const question = `${input.subject} ${input.body}`;
      const top = hits[0];
      const sentences = top ? bestSentences(top.text, question, 3) : [];
      const greeting = `Hi ${input.customer.name?.split(/\s+/)[0] ?? "there"},`;
      const answer = sentences.length
        ? `Thanks for getting in touch about "${input.subject}". ${sentences.join(" ")}`
        : `Thanks for getting in touch about "${input.subject}". We are looking into it and will get back to you shortly.`;
      const escalation = c.escalate ? "I have passed this to our on-call team as a priority; they will update you directly." : "If that does not solve it, reply to this email and we will take it from there.";
      return {
        category: c.category,
        priority: c.priority,
        reply: [greeting, answer, escalation, "Best regards,\nSupport"].join("\n\n"),
        confidence: Math.round(c.confidence * (sentences.length ? 1 : 0.6) * 100) / 100,
        escalate: c.escalate,
        reasons: [...c.reasons, ...(top ? [`reply based on "${top.documentTitle}"`] : ["no knowledge-base document matched"])],
        citations: sentences.length && top ? [citationOf(top, sentences[0])] : [],
      };
    },
  },
});
