import { describe, expect, it } from "vitest";
import { parseLogs, parseLogsInputSchema, signatureOf } from "@/lib/agents/incident-responder/parse-logs";

// A 2,000-line service log, a line every 1.5 s, with three error signatures at known
// lines: a db error every 100 lines (20), payment timeouts on lines 1,200–1,211 except
// 1,207, which is a db error (11), and a worker panic every 250 lines (8).
function serviceLog() {
  const start = Date.UTC(2026, 10, 20, 14, 0, 0);
  const at = (i: number) => new Date(start + i * 1_500).toISOString();
  const lines: string[] = [];
  for (let i = 0; i < 2_000; i++) {
    if (i % 100 === 7) lines.push(`${at(i)} ERROR db: connection refused to 10.0.3.${i % 7}:5432 after ${i % 13} retries`);
    else if (i >= 1_200 && i < 1_212) lines.push(`${at(i)} ERROR payments: upstream timeout after ${3000 + i}ms (request ${(0xabc000 + i).toString(16)}abcdef01)`);
    else if (i % 250 === 3) lines.push(`${at(i)} FATAL worker: panic: nil pointer dereference in job "sync-${i}"`);
    else lines.push(`${at(i)} INFO http: GET /api/orders/${i} 200 ${i % 40}ms`);
  }
  return { text: lines.join("\n"), at };
}

describe("parse_logs", () => {
  it("finds the three error signatures with exact counts and first/last timestamps", () => {
    const { text, at } = serviceLog();
    const report = parseLogs(parseLogsInputSchema.parse({ logs: text }));
    expect(report.lines).toBe(2_000);
    expect(report.errorLines).toBe(20 + 11 + 8);
    expect(report.from).toBe(at(0));
    expect(report.to).toBe(at(1_999));
    expect(report.signatures.map((s) => [s.signature, s.count, s.firstSeen, s.lastSeen])).toEqual([
      ["db: connection refused to <ip> after <n> retries", 20, at(7), at(1_907)],
      ["payments: upstream timeout after <n> (request <hex>)", 11, at(1_200), at(1_211)],
      ["worker: panic: nil pointer dereference in job <str>", 8, at(3), at(1_753)],
    ]);
    expect(report.signatures[2]!.level).toBe("FATAL");
  });

  it("reports the minute of the timeout burst as a spike", () => {
    const { text } = serviceLog();
    const report = parseLogs({ logs: text });
    // Lines 1,200–1,239 make up 14:30: 11 timeouts and the db error of line 1,207; other minutes have at most one error.
    expect(report.spikes).toEqual([{ minute: "2026-11-20T14:30Z", errors: 12 }]);
  });

  it("normalises variable parts", () => {
    expect(signatureOf("user 42 failed: 'bob' from 192.168.1.1:80 id=550e8400-e29b-41d4-a716-446655440000")).toBe("user <n> failed: <str> from <ip> id=<uuid>");
  });

  it("copes with logs without timestamps and refuses binary or empty input", () => {
    const report = parseLogs({ logs: "starting\nException in thread main java.lang.NullPointerException\nERROR disk full\nERROR disk full" });
    expect(report.signatures.map((s) => [s.signature, s.count, s.firstSeen])).toEqual([
      ["disk full", 2, null],
      ["Exception in thread main java.lang.NullPointerException", 1, null],
    ]);
    expect(() => parseLogs({ logs: "\u0000\u0001" })).toThrow(/binary/);
    expect(parseLogsInputSchema.safeParse({ logs: "  " }).success).toBe(false);
  });
});
