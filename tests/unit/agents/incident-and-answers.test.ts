import { describe, expect, it } from "vitest";
import { incidentSeverity, remediationSteps } from "@/lib/agents/incident-responder/package";
import type { LogReport } from "@/lib/agents/incident-responder/parse-logs";
import { bestSentences, markSnippet } from "@/lib/agents/knowledge/search-documents-tool";
import { demoDocuments } from "@/lib/knowledge/demo-documents";

const report = (errorLines: number, spikes: number): LogReport => ({
  lines: 1_000,
  errorLines,
  from: null,
  to: null,
  signatures: [],
  spikes: Array.from({ length: spikes }, (_, i) => ({ minute: `2026-11-20T14:0${i}Z`, errors: 20 })),
});

describe("Incident Responder helpers", () => {
  it("takes the runbook's numbered remediation steps", () => {
    const runbook = demoDocuments.find((d) => d.source === "runbook-db-connection-pool.md")!.text;
    const steps = remediationSteps(runbook);
    expect(steps).toHaveLength(5);
    expect(steps[0]).toBe("Terminate sessions that are idle in transaction for more than five minutes with `pg_terminate_backend(pid)`.");
    expect(steps[4]).toMatch(/^When the pool recovers/);
    expect(remediationSteps("# Notes\n\nNo steps here.")).toEqual([]);
  });

  it("rates severity from the alert and the error volume, whichever is worse", () => {
    expect(incidentSeverity({ severity: "warning" }, report(150, 2))).toBe("critical");
    expect(incidentSeverity({ severity: "critical" }, report(3, 0))).toBe("critical");
    expect(incidentSeverity(undefined, report(60, 0))).toBe("high");
    expect(incidentSeverity(undefined, report(2, 0))).toBe("medium");
    expect(incidentSeverity(undefined, report(0, 0))).toBe("low");
    expect(incidentSeverity({ labels: { severity: "P2" } }, undefined)).toBe("high");
    expect(incidentSeverity({ title: "no severity" }, undefined)).toBe("medium");
  });
});

describe("extractive answers", () => {
  it("picks the sentences sharing the most words with the question, in document order", () => {
    const faq = demoDocuments[0]!.text;
    // Sentences sharing one word ("plan", "refunds") are left out next to one sharing three.
    expect(bestSentences(faq, "How do refunds work for annual plans?", 3)).toEqual([
      "Annual plans can be refunded in full within 30 days of purchase.",
      "Monthly plans are not refunded, but you can cancel at any time and keep access until the end of the paid period.",
    ]);
    expect(bestSentences(faq, "zebra unicorn", 2)).toEqual([]);
  });

  it("marks highlights in bold for the model", () => {
    expect(markSnippet({ snippet: "Annual plans are refunded", highlights: [[0, 6], [17, 25]] })).toBe("**Annual** plans are **refunded**");
  });
});
