import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { escalationManager } from "@/lib/agents/escalation-manager/package";
import { incidentResponder } from "@/lib/agents/incident-responder/package";
import { knowledgeBase } from "@/lib/agents/knowledge-base/package";
import { ticketResolver } from "@/lib/agents/ticket-resolver/package";
import { getDb } from "@/lib/db/client";
import { createDocument } from "@/lib/knowledge/documents";
import { demoDocuments } from "@/lib/knowledge/demo-documents";
import { extractFromPaste } from "@/lib/knowledge/extract-text";
import { createRule, createRuleSchema, demoRules } from "@/lib/routing/routing-rules";
import { startFakeAnthropic, type FakeAnthropic } from "../fakes/anthropic-server";
import { createUser } from "../helpers/factories";
import { runToEnd, testExecutor } from "../helpers/run-harness";

// The agents that read the workspace: Knowledge Base Agent, Ticket Resolver,
// Incident Responder (search_documents over the seeded documents) and Escalation
// Manager (the workspace's routing rules) — through the real SDK against the fake
// scripted to call their tools, and through the offline model.

let fake: FakeAnthropic;
let principal: Awaited<ReturnType<typeof createUser>>["principal"];
let other: Awaited<ReturnType<typeof createUser>>["principal"];
const chunkOf: Record<string, { documentId: string; chunkId: string }> = {};

beforeAll(async () => {
  fake = await startFakeAnthropic();
  const owner = await createUser("kb-agents");
  principal = owner.principal;
  for (const d of demoDocuments) {
    const doc = await createDocument(getDb(), { workspaceId: owner.workspace.id, userId: owner.user.id }, { extracted: extractFromPaste(d.text), source: d.source, sizeBytes: d.text.length });
    chunkOf[d.source] = { documentId: doc.id, chunkId: doc.chunks[0]!.id };
  }
  for (const rule of demoRules) await createRule(owner.workspace.id, createRuleSchema.parse(rule));
  ({ principal: other } = await createUser("kb-agents-empty"));
});
afterAll(() => fake.close());

type ToolEvent = { name: string; input: unknown; result: unknown };
const toolResults = (events: { type: string; data: unknown }[]) => events.filter((e) => e.type === "tool_result").map((e) => e.data as ToolEvent);

describe("Knowledge Base Agent", () => {
  it("searches as the model asks and returns its cited answer", async () => {
    const faq = chunkOf["product-faq.md"]!;
    fake.script(
      { kind: "message", blocks: [{ type: "tool_use", name: "search_documents", input: { query: "refund annual plan" } }] },
      { kind: "message", blocks: [{ type: "text", text: JSON.stringify({ answer: "Annual plans are refunded in full within 30 days.", citations: [{ ...faq, title: "Acme Analytics — Product FAQ" }], found: true }) }] },
    );
    const { run, events } = await runToEnd(testExecutor({ anthropicUrl: fake.url }), principal, { question: "Can I get a refund on an annual plan?" }, "knowledge-base");
    expect(run.status).toBe("SUCCEEDED");
    const search = toolResults(events)[0]!.result as { results: { documentTitle: string; citation: unknown; snippet: string }[] };
    expect(search.results[0]).toMatchObject({ documentTitle: "Acme Analytics — Product FAQ", citation: faq });
    expect(search.results[0]!.snippet).toMatch(/\*\*refund/i);
    // The model saw the tool result in its next request.
    const second = fake.requests.at(-1)!.body as { messages: { content: { type: string; content?: string }[] }[] };
    expect(JSON.stringify(second.messages.at(-1))).toContain("Acme Analytics");
  });

  it("a malformed tool call from the model comes back to it as the tool's error, and the run goes on", async () => {
    fake.script(
      { kind: "message", blocks: [{ type: "tool_use", name: "search_documents", input: { query: "", limit: 99 } }] },
      { kind: "message", blocks: [{ type: "text", text: JSON.stringify({ answer: "I could not search.", citations: [], found: false }) }] },
    );
    const { run, events } = await runToEnd(testExecutor({ anthropicUrl: fake.url }), principal, { question: "Anything?" }, "knowledge-base");
    expect(run.status).toBe("SUCCEEDED");
    const result = events.find((e) => e.type === "tool_result")!.data as { ok: boolean; error: string };
    expect(result.ok).toBe(false);
    expect(result.error).toMatch(/query: Give a search query\.; limit: /);
  });

  it("too long or malformed input is a 400 naming the field", async () => {
    await expect(runToEnd(testExecutor(), principal, { question: "x".repeat(5_000) }, "knowledge-base")).rejects.toMatchObject({ code: "validation_failed", details: { issues: [expect.objectContaining({ path: "input.question" })] } });
    await expect(runToEnd(testExecutor(), principal, { ticket: { subject: "x", tags: "urgent" } }, "escalation-manager")).rejects.toMatchObject({ details: { issues: [expect.objectContaining({ path: "input.ticket.tags" })] } });
    await expect(runToEnd(testExecutor(), principal, { goal: "many", steps: Array.from({ length: 11 }, () => ({ agent: "knowledge-base", input: {} })) }, "workflow-orchestrator")).rejects.toMatchObject({ details: { issues: [expect.objectContaining({ path: "input.steps" })] } });
  });

  it("offline: answers from the top chunk and cites it", async () => {
    const { run } = await runToEnd(testExecutor(), principal, { question: "How do I reset my password?" }, "knowledge-base");
    expect(run.status).toBe("SUCCEEDED");
    const out = knowledgeBase.output.parse(run.output);
    expect(out.found).toBe(true);
    expect(out.answer).toContain("We email a reset link that is valid for 30 minutes.");
    expect(out.citations[0]).toMatchObject({ documentId: chunkOf["product-faq.md"]!.documentId, title: "Acme Analytics — Product FAQ" });
  });

  it("offline: says so when the workspace has nothing on it — and never reads another workspace", async () => {
    const { run } = await runToEnd(testExecutor(), other, { question: "How do I reset my password?" }, "knowledge-base");
    const out = knowledgeBase.output.parse(run.output);
    expect(out).toMatchObject({ found: false, citations: [] });
  });
});

describe("Ticket Resolver", () => {
  const input = ticketResolver.exampleInput;

  it("classifies and searches as the model asks", async () => {
    fake.script(
      { kind: "message", blocks: [{ type: "tool_use", name: "classify_ticket", input }, { type: "tool_use", name: "search_documents", input: { query: "password reset email" } }] },
      {
        kind: "message",
        blocks: [{ type: "text", text: JSON.stringify({ category: "account_access", priority: "high", reply: "Hi Priya, …", confidence: 0.9, escalate: false, reasons: ["pro plan"], citations: [] }) }],
      },
    );
    const { run, events } = await runToEnd(testExecutor({ anthropicUrl: fake.url }), principal, input, "ticket-resolver");
    expect(run.status).toBe("SUCCEEDED");
    const [classify, search] = toolResults(events);
    expect(classify!.result).toMatchObject({ category: "account_access", priority: "high" }); // pro plan: normal → high
    expect((search!.result as { results: { documentTitle: string }[] }).results[0]!.documentTitle).toBe("Acme Analytics — Product FAQ");
  });

  it("offline: drafts a reply grounded in the FAQ with the classification", async () => {
    const { run } = await runToEnd(testExecutor(), principal, input, "ticket-resolver");
    const out = ticketResolver.output.parse(run.output);
    expect(out).toMatchObject({ category: "account_access", priority: "high", escalate: false });
    expect(out.reply).toMatch(/^Hi Priya,/);
    expect(out.reply).toContain("reset link");
    expect(out.citations[0]!.title).toBe("Acme Analytics — Product FAQ");
  });

  it("bad input is a 400 naming the field; nothing runs", async () => {
    await expect(runToEnd(testExecutor(), principal, { subject: "", body: "x" }, "ticket-resolver")).rejects.toMatchObject({ code: "validation_failed", details: { issues: [expect.objectContaining({ path: "input.subject" })] } });
  });
});

describe("Incident Responder", () => {
  const input = incidentResponder.exampleInput;

  it("parses the logs and searches the runbooks as the model asks", async () => {
    fake.script(
      { kind: "message", blocks: [{ type: "tool_use", name: "parse_logs", input: { logs: input.logs } }] },
      { kind: "message", blocks: [{ type: "tool_use", name: "search_documents", input: { query: "timeout acquiring connection from pool" } }] },
      {
        kind: "message",
        blocks: [{ type: "text", text: JSON.stringify({ severity: "high", summary: "Pool exhausted.", probableCause: "Slow query.", remediation: ["Kill idle sessions."], signatures: [], runbooks: [] }) }],
      },
    );
    const { run, events } = await runToEnd(testExecutor({ anthropicUrl: fake.url }), principal, input, "incident-responder");
    expect(run.status).toBe("SUCCEEDED");
    const [logs, search] = toolResults(events);
    expect((logs!.result as { signatures: { count: number }[] }).signatures[0]!.count).toBe(3);
    expect((search!.result as { results: { documentTitle: string }[] }).results[0]!.documentTitle).toBe("Runbook: database connection pool exhausted");
  });

  it("offline: severity, the top signature as probable cause, and the runbook's remediation steps", async () => {
    const { run } = await runToEnd(testExecutor(), principal, input, "incident-responder");
    const out = incidentResponder.output.parse(run.output);
    expect(out.severity).toBe("high"); // the alert says high; 4 error lines alone would be medium
    expect(out.signatures[0]).toMatchObject({ signature: "api timeout acquiring connection from pool after <n> (pool=api, waiting=<n>)", count: 3, firstSeen: "2026-11-20T14:02:13.000Z", lastSeen: "2026-11-20T14:02:16.000Z" });
    expect(out.probableCause).toContain("Runbook: database connection pool exhausted");
    expect(out.remediation[0]).toMatch(/^Terminate sessions that are idle in transaction/);
    expect(out.runbooks[0]!.documentId).toBe(chunkOf["runbook-db-connection-pool.md"]!.documentId);
  });

  it("offline: an alert alone finds its runbook", async () => {
    const { run } = await runToEnd(testExecutor(), principal, { alert: { title: "Checkout 504 gateway timeout from payment provider", severity: "critical" } }, "incident-responder");
    const out = incidentResponder.output.parse(run.output);
    expect(out.severity).toBe("critical");
    expect(out.runbooks[0]!.title).toBe("Runbook: payment gateway timeouts at checkout");
    expect(out.remediation[0]).toMatch(/secondary provider/);
  });

  it("binary logs and no alert-or-logs are 400s naming the field; nothing runs", async () => {
    await expect(runToEnd(testExecutor(), principal, { logs: "ERROR a\u0000b" }, "incident-responder")).rejects.toMatchObject({
      code: "validation_failed",
      details: { issues: [expect.objectContaining({ path: "input.logs" })] },
    });
    await expect(runToEnd(testExecutor(), principal, { logs: "  " }, "incident-responder")).rejects.toMatchObject({ code: "validation_failed" });
  });
});

describe("Escalation Manager", () => {
  const input = escalationManager.exampleInput;

  it("evaluates the workspace's rules as the model asks", async () => {
    fake.script(
      { kind: "message", blocks: [{ type: "tool_use", name: "evaluate_routing_rules", input }] },
      { kind: "message", blocks: [{ type: "text", text: JSON.stringify({ team: "sre-on-call", urgency: "CRITICAL", reason: "Enterprise outage.", matchedRule: null, checked: [] }) }] },
    );
    const { run, events } = await runToEnd(testExecutor({ anthropicUrl: fake.url }), principal, input, "escalation-manager");
    expect(run.status).toBe("SUCCEEDED");
    expect(toolResults(events)[0]!.result).toMatchObject({ team: "sre-on-call", urgency: "CRITICAL", matched: { name: "Enterprise outages page on-call", position: 2 } });
  });

  it("offline: routes by the first matching rule and lists the ones checked before it", async () => {
    const { run } = await runToEnd(testExecutor(), principal, { ticket: { subject: "Invoice shows the wrong VAT number", category: "billing" } }, "escalation-manager");
    const out = escalationManager.output.parse(run.output);
    expect(out).toMatchObject({ team: "billing", urgency: "NORMAL", matchedRule: { name: "Billing questions to finance" } });
    expect(out.checked.map((c) => c.matched)).toEqual([false, false, false, true]);
  });

  it("offline: a workspace without rules gets the default queue", async () => {
    const { run } = await runToEnd(testExecutor(), other, input, "escalation-manager");
    expect(escalationManager.output.parse(run.output)).toMatchObject({ team: "support", urgency: "NORMAL", matchedRule: null });
  });
});
