import { z } from "zod";
import { definePackage, defineTool } from "../define-package";
import { bestSentences, citationOf, citationSchema, searchDocumentsTool, type DocumentResult, type SearchDocumentsResult } from "../knowledge/search-documents-tool";
import { parseLogs, parseLogsInputSchema, type LogReport } from "./parse-logs";

const severities = ["critical", "high", "medium", "low"] as const;
type Severity = (typeof severities)[number];

const inputSchema = z
  .object({
    alert: z.record(z.string(), z.unknown()).optional(),
    logs: z.string().max(10_000_000).optional(),
  })
  .refine((v) => (v.alert && Object.keys(v.alert).length) || v.logs?.trim(), { message: "Give the alert (JSON), the logs, or both.", path: ["logs"] })
  // The refinement, as far as JSON Schema says it: the run form quotes no empty input.
  .meta({ minProperties: 1 });

const outputSchema = z.object({
  severity: z.enum(severities),
  summary: z.string().min(1),
  probableCause: z.string().min(1),
  remediation: z.array(z.string()).min(1),
  signatures: z.array(z.object({ signature: z.string(), count: z.number().int(), firstSeen: z.string().nullable(), lastSeen: z.string().nullable() })),
  runbooks: z.array(citationSchema),
});

const alertText = (alert: Record<string, unknown> | undefined) =>
  alert ? ["title", "name", "alertname", "summary", "description", "message"].map((k) => alert[k]).filter((v): v is string => typeof v === "string").join(" ") : "";

/** What to look up in the runbooks: the alert's words and the top error signature, placeholders removed. */
function runbookQuery(alert: Record<string, unknown> | undefined, report: LogReport | undefined) {
  const signature = report?.signatures[0]?.signature.replace(/<[a-z]+>/g, " ") ?? "";
  return `${alertText(alert)} ${signature}`.replace(/[^\w\s-]/g, " ").replace(/\s+/g, " ").trim().slice(0, 500) || "incident runbook";
}

const ALERT_SEVERITY: Record<string, Severity> = { critical: "critical", sev1: "critical", "sev-1": "critical", p1: "critical", page: "critical", high: "high", sev2: "high", "sev-2": "high", p2: "high", error: "high", warning: "medium", warn: "medium", sev3: "medium", p3: "medium", info: "low", low: "low" };

export function incidentSeverity(alert: Record<string, unknown> | undefined, report: LogReport | undefined): Severity {
  const declared = [alert?.severity, alert?.priority, (alert?.labels as Record<string, unknown> | undefined)?.severity].find((v): v is string => typeof v === "string");
  const fromAlert = declared ? ALERT_SEVERITY[declared.toLowerCase()] : undefined;
  let fromLogs: Severity = "low";
  if (report) {
    if (report.spikes.length && report.errorLines >= 100) fromLogs = "critical";
    else if (report.spikes.length || report.errorLines >= 50) fromLogs = "high";
    else if (report.errorLines > 0) fromLogs = "medium";
  }
  const rank = (s: Severity) => severities.indexOf(s);
  return fromAlert && rank(fromAlert) < rank(fromLogs) ? fromAlert : report ? fromLogs : (fromAlert ?? "medium");
}

/** The numbered steps of the runbook's remediation section, if the chunk has one. */
export function remediationSteps(chunk: string): string[] {
  const section = /^#+\s*(remediation|mitigation|fix|resolution)[^\n]*\n([\s\S]*?)(?=^#+\s|$(?![\s\S]))/im.exec(chunk)?.[2] ?? "";
  return [...section.matchAll(/^\s*(?:\d+[.)]|[-*])\s+(.+)$/gm)].map((m) => m[1]!.replace(/\*\*/g, "").trim());
}

const fmt = (iso: string | null) => (iso ? iso.replace("T", " ").replace(/:\d\d\.\d+Z$|:\d\dZ$/, " UTC") : "?");

export const incidentResponder = definePackage({
  slug: "incident-responder",
  name: "Incident Responder",
  summary: "Reads an alert and the logs around it, groups the errors into signatures with counts and spikes, finds the matching runbook, and proposes the remediation.",
  description: [
    "Paste the `alert` (JSON, e.g. from Alertmanager, PagerDuty or Datadog) and/or the `logs` around it.",
    "",
    "- `parse_logs` groups error lines into signatures (numbers, ids and addresses normalised), with counts, first/last seen and per-minute spikes;",
    "- `search_documents` finds the runbook for it in your workspace's knowledge base.",
    "",
    "The result: severity (from the alert and the error volume), a summary, the probable cause, remediation steps (from the runbook when one matches) and the runbook passages cited.",
  ].join("\n"),
  category: "devops",
  capabilities: ["incident response", "log analysis", "runbooks", "on-call"],
  version: "1.0.0",
  model: "claude-sonnet-5-5",
  maxOutputTokens: 4_096,
  baseFeeMicros: 2_500n,
  input: inputSchema,
  output: outputSchema,
  exampleInput: {
    alert: { alertname: "DatabaseConnectionsSaturated", severity: "high", summary: "PostgreSQL connections above 90% of max_connections", service: "api" },
    logs: [
      "2026-11-20T14:02:11Z INFO  api request GET /v1/dashboards 200 41ms",
      "2026-11-20T14:02:13Z ERROR api timeout acquiring connection from pool after 5000ms (pool=api, waiting=37)",
      "2026-11-20T14:02:13Z ERROR api timeout acquiring connection from pool after 5000ms (pool=api, waiting=41)",
      "2026-11-20T14:02:14Z ERROR api sorry, too many clients already",
      "2026-11-20T14:02:15Z WARN  api slow query 8123ms: SELECT * FROM events WHERE account_id = 42",
      "2026-11-20T14:02:16Z ERROR api timeout acquiring connection from pool after 5000ms (pool=api, waiting=44)",
    ].join("\n"),
  },
  systemPrompt:
    "You are an SRE on call. Call parse_logs on the logs (if any), then search_documents for the runbook that matches the alert and the top error signature. Give the severity, a short summary with counts and times, the probable cause, concrete remediation steps (the runbook's, adapted), and cite the runbook chunks you used.",
  tools: [
    defineTool({ name: "parse_logs", description: "Group error log lines into signatures with counts, first/last timestamps and per-minute spikes.", input: parseLogsInputSchema, handler: parseLogs }),
    searchDocumentsTool,
  ],
  offline: {
    plan: (input) => (input.logs?.trim() ? [{ tool: "parse_logs", input: { logs: input.logs } }] : [{ tool: "search_documents", input: { query: runbookQuery(input.alert, undefined), limit: 3 } }]),
    then: (input, results) => (results.parse_logs ? [{ tool: "search_documents", input: { query: runbookQuery(input.alert, results.parse_logs as LogReport), limit: 3 } }] : []),
    compose: (input, results) => {
      const report = results.parse_logs as LogReport | undefined;
      const { results: hits } = results.search_documents as SearchDocumentsResult;
      const runbook: DocumentResult | undefined = hits[0];
      const top = report?.signatures[0];
      const summary = [
        alertText(input.alert) || null,
        report ? `${report.errorLines} error line(s) of ${report.lines} between ${fmt(report.from)} and ${fmt(report.to)}, in ${report.signatures.length} signature(s).` : null,
        report?.spikes.length ? `Spikes: ${report.spikes.map((s) => `${s.errors} errors at ${fmt(s.minute)}`).join(", ")}.` : null,
      ]
        .filter(Boolean)
        .join(" ");
      const cause = top
        ? `Most errors (${top.count}) are "${top.signature}", first at ${fmt(top.firstSeen)}${runbook ? `; this matches the runbook "${runbook.documentTitle}"` : ""}.`
        : runbook
          ? `The alert matches the runbook "${runbook.documentTitle}".`
          : "No error lines and no matching runbook; look at the alert's source directly.";
      const steps = runbook ? remediationSteps(runbook.text) : [];
      const fallback = runbook ? bestSentences(runbook.text, `${alertText(input.alert)} ${top?.signature ?? ""}`, 3) : [];
      return {
        severity: incidentSeverity(input.alert, report),
        summary: summary || "The alert carried no title or summary.",
        probableCause: cause,
        remediation: steps.length ? steps : fallback.length ? fallback : ["No runbook matched: add one to the knowledge base, then page the owning team."],
        signatures: (report?.signatures ?? []).slice(0, 10).map(({ signature, count, firstSeen, lastSeen }) => ({ signature, count, firstSeen, lastSeen })),
        runbooks: hits.slice(0, 2).map((h) => citationOf(h)),
      };
    },
  },
});
