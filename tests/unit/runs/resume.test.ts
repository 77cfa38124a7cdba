import { describe, expect, it } from "vitest";
import { resumePoint, toolResultBlock, type LoggedEvent } from "@/lib/runs/resume";

// Where a resumed run picks up (lib/runs/resume.ts): the conversation the event
// log proves, the usage its completed turns reported, the counters.

let seq = 0;
const ev = (type: string, data: Record<string, unknown>): LoggedEvent => ({ seq: ++seq, type, data });
const usage = (inputTokens: number, outputTokens: number) => ({ inputTokens, outputTokens, cacheWriteTokens: 0, cacheReadTokens: 0 });

describe("resumePoint", () => {
  it("keeps completed turns with their tool results, drops the call cut short and the turn still streaming", () => {
    const log = [
      ev("status", { status: "QUEUED" }),
      ev("status", { status: "RUNNING" }),
      ev("text", { text: "Scanning " }),
      ev("text", { text: "now." }),
      ev("tool_call", { id: "a", name: "scan_secrets", input: { files: [] }, turn: 1, usage: usage(100, 20) }),
      ev("tool_result", { id: "a", name: "scan_secrets", ok: true, result: [{ rule: "X" }] }),
      ev("tool_call", { id: "b", name: "scan_code_patterns", input: {}, turn: 1 }),
      ev("tool_result", { id: "b", name: "scan_code_patterns", ok: false, error: "bad input" }),
      ev("status", { status: "RUNNING", retry: { attempt: 1, delayMs: 10, reason: "Overloaded" } }),
      ev("tool_call", { id: "c", name: "scan_secrets", input: {}, turn: 2, usage: usage(300, 30) }),
      ev("tool_result", { id: "c", name: "scan_secrets", ok: true, result: [] }),
      ev("tool_call", { id: "d", name: "scan_secrets", input: {}, turn: 2 }), // cut short: no result
      ev("text", { text: "The answer is" }), // turn 3, still streaming when the worker died
    ];
    const p = resumePoint(log, "anthropic");
    expect(p.turns).toBe(2);
    expect(p.toolCalls).toBe(3);
    expect(p.retries).toBe(1);
    expect(p.lastSeq).toBe(log.at(-1)!.seq);
    expect(p.usage).toEqual(usage(400, 50));
    expect(p.messages).toEqual([
      { role: "assistant", content: [{ type: "text", text: "Scanning now." }, { type: "tool_use", id: "a", name: "scan_secrets", input: { files: [] } }, { type: "tool_use", id: "b", name: "scan_code_patterns", input: {} }] },
      { role: "user", content: [toolResultBlock("anthropic", "a", { ok: true, result: [{ rule: "X" }] }), toolResultBlock("anthropic", "b", { ok: false, error: "bad input" })] },
      { role: "assistant", content: [{ type: "tool_use", id: "c", name: "scan_secrets", input: {} }] },
      { role: "user", content: [toolResultBlock("anthropic", "c", { ok: true, result: [] })] },
    ]);
  });

  it("a run that died before any tool finished starts over", () => {
    const p = resumePoint([ev("status", { status: "QUEUED" }), ev("text", { text: "Thinking" }), ev("tool_call", { id: "x", name: "t", input: {}, turn: 1 })], "offline");
    expect(p).toMatchObject({ messages: [], turns: 0, toolCalls: 0, usage: usage(0, 0) });
  });

  it("hands results back whole to the offline model and cut to 200,000 characters to a real one", () => {
    const big = { ok: true as const, result: "x".repeat(250_000) };
    expect((toolResultBlock("offline", "i", big) as { content: string }).content).toHaveLength(250_002);
    expect((toolResultBlock("anthropic", "i", big) as { content: string }).content).toHaveLength(200_000);
    expect(toolResultBlock("anthropic", "i", { ok: false, error: "no" })).toEqual({ type: "tool_result", tool_use_id: "i", content: "no", is_error: true });
  });
});
