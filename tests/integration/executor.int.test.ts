import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { CircuitBreaker } from "@/lib/llm/circuit-breaker";
import { cancelRun } from "@/lib/runs/cancel-run";
import { acceptRun } from "@/lib/runs/accept-run";
import { getDb } from "@/lib/db/client";
import { sql } from "@/lib/db/sql";
import { RunEventLog } from "@/lib/runs/run-event-log";
import { startFakeAnthropic, type FakeAnthropic } from "../fakes/anthropic-server";
import { createUser } from "../helpers/factories";
import { loadRun, runToEnd, scannerAnswer, scannerInput, testExecutor, waitForStreamedText } from "../helpers/run-harness";

// The executor with the real @anthropic-ai/sdk against the fake Messages API server.

let fake: FakeAnthropic;
let principal: Awaited<ReturnType<typeof createUser>>["principal"];
beforeAll(async () => {
  fake = await startFakeAnthropic();
  ({ principal } = await createUser("executor", { tier: "enterprise" }));
});
afterAll(() => fake.close());
beforeEach(() => {
  fake.requests.length = 0;
});

const finding = { severity: "high", file: "config/settings.py", line: 2, rule: "aws-access-key-id", explanation: "AWS key.", fix: "Rotate it." };

describe("executor (real SDK, fake Anthropic)", () => {
  it("streams text, validates the answer and records tokens and model cost", async () => {
    const answer = scannerAnswer([finding]);
    fake.script({ kind: "message", blocks: [{ type: "text", text: answer }], usage: { input: 1200, output: 300, cacheRead: 1000 } });
    const { run, events, types } = await runToEnd(testExecutor({ anthropicUrl: fake.url }), principal);
    expect(run.status).toBe("SUCCEEDED");
    expect(run.output).toEqual(JSON.parse(answer));
    expect(types[0]).toBe("status");
    expect(types.slice(-3)).toEqual(["output", "status", "usage"]);
    expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i + 1));
    const streamed = events.filter((e) => e.type === "text").map((e) => (e.data as { text: string }).text).join("");
    expect(streamed).toBe(answer);
    expect([run.inputTokens, run.outputTokens, run.cacheReadTokens]).toEqual([1200, 300, 1000]);
    // claude-sonnet-5-5: 1200×$2 + 300×$10 + 1000×$0.20 per million = 2400 + 3000 + 200 micro-USD
    expect(run.providerCostMicros).toBe(5_600n);
    expect(events.at(-1)!.data).toMatchObject({ inputTokens: 1200, outputTokens: 300, costMicros: 5600 });
    expect(fake.requests[0]!.headers["anthropic-version"]).toBeDefined();
    expect(JSON.stringify(fake.requests[0]!.body.system)).toContain("JSON Schema");
  });

  it("runs two tool calls on the real tools, sends their results back, then takes the final answer", async () => {
    fake.script(
      {
        kind: "message",
        blocks: [
          { type: "text", text: "Scanning." },
          { type: "tool_use", id: "toolu_a", name: "scan_secrets", input: scannerInput },
          { type: "tool_use", id: "toolu_b", name: "scan_code_patterns", input: scannerInput },
        ],
        usage: { input: 500, output: 80 },
      },
      { kind: "message", blocks: [{ type: "text", text: scannerAnswer([finding]) }], usage: { input: 900, output: 120 } },
    );
    const { run, events } = await runToEnd(testExecutor({ anthropicUrl: fake.url }), principal);
    expect(run.status).toBe("SUCCEEDED");
    expect(run.toolCalls).toBe(2);
    expect([run.inputTokens, run.outputTokens]).toEqual([1400, 200]);
    const calls = events.filter((e) => e.type === "tool_call").map((e) => (e.data as { name: string }).name);
    expect(calls).toEqual(["scan_secrets", "scan_code_patterns"]);
    const secrets = events.find((e) => e.type === "tool_result" && (e.data as { name: string }).name === "scan_secrets")!.data as { ok: boolean; result: { rule: string; line: number }[] };
    expect(secrets.ok).toBe(true);
    expect(secrets.result.some((f) => /aws/i.test(f.rule) && f.line === 2)).toBe(true);
    // The second request carries both tool results, matched by id.
    expect(fake.requests).toHaveLength(2);
    const second = fake.requests[1]!.body.messages as { role: string; content: { type: string; tool_use_id?: string }[] }[];
    expect(second.at(-1)!.content.map((c) => c.tool_use_id)).toEqual(["toolu_a", "toolu_b"]);
  });

  it("retries 529 twice and then succeeds: exactly two retries, three requests", async () => {
    fake.script(
      { kind: "http_error", status: 529, type: "overloaded_error" },
      { kind: "http_error", status: 529, type: "overloaded_error" },
      { kind: "message", blocks: [{ type: "text", text: scannerAnswer() }] },
    );
    const { run, events } = await runToEnd(testExecutor({ anthropicUrl: fake.url }), principal);
    expect(run.status).toBe("SUCCEEDED");
    expect(run.retries).toBe(2);
    expect(fake.requests).toHaveLength(3);
    expect(events.filter((e) => e.type === "status" && (e.data as { retry?: unknown }).retry)).toHaveLength(2);
  });

  it("never retries more than the policy allows", async () => {
    fake.script({ kind: "http_error", status: 529, type: "overloaded_error" });
    const { run } = await runToEnd(testExecutor({ anthropicUrl: fake.url, retryPolicy: { maxRetries: 2, baseDelayMs: 1, maxDelayMs: 5 } }), principal);
    expect(run.status).toBe("FAILED");
    expect(run.errorCode).toBe("provider_error");
    expect(run.retries).toBe(2);
    expect(fake.requests).toHaveLength(3);
  });

  it("opens the breaker on persistent 529, fails the next run fast without calling the server, and half-opens later", async () => {
    let now = 1_000_000;
    const breaker = new CircuitBreaker("anthropic", { failureThreshold: 3, cooldownMs: 10_000, now: () => now });
    const executor = testExecutor({ anthropicUrl: fake.url, breaker, retryPolicy: { maxRetries: 5, baseDelayMs: 1, maxDelayMs: 5 } });
    fake.script({ kind: "http_error", status: 529, type: "overloaded_error" });

    const first = await runToEnd(executor, principal);
    expect(first.run.status).toBe("FAILED");
    expect(first.run.errorCode).toBe("provider_unavailable");
    expect(fake.requests).toHaveLength(3); // the threshold, not the retry limit
    expect(breaker.current()).toBe("open");

    const second = await runToEnd(executor, principal);
    expect(second.run.errorCode).toBe("provider_unavailable");
    expect(fake.requests).toHaveLength(3); // failed fast: no request

    now += 10_000; // cooldown over: one trial call goes through
    expect(breaker.current()).toBe("half_open");
    fake.script({ kind: "message", blocks: [{ type: "text", text: scannerAnswer() }] });
    const third = await runToEnd(executor, principal);
    expect(third.run.status).toBe("SUCCEEDED");
    expect(fake.requests).toHaveLength(4);
    expect(breaker.current()).toBe("closed");
  });

  it("fails on an error event mid-stream and keeps the tokens seen", async () => {
    fake.script({ kind: "stream_error", type: "invalid_request_error", blocks: [{ type: "text", text: "Partial answ" }], usage: { input: 640, output: 12 } });
    const { run, types } = await runToEnd(testExecutor({ anthropicUrl: fake.url }), principal);
    expect(run.status).toBe("FAILED");
    expect(run.errorCode).toBe("provider_error");
    expect(run.inputTokens).toBe(640);
    expect(run.outputTokens).toBe(12);
    expect(run.priceMicros).toBe(0n); // a FAILED run pays nothing
    expect(types.slice(-3)).toEqual(["error", "status", "usage"]);
  });

  it("fails a run that exceeds its wall-clock timeout", async () => {
    fake.script({ kind: "stall", blocks: [{ type: "text", text: "thinking…" }] });
    const started = Date.now();
    const { run } = await runToEnd(testExecutor({ anthropicUrl: fake.url, timeoutMs: 600 }), principal);
    expect(run.status).toBe("FAILED");
    expect(run.errorCode).toBe("timeout");
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it("cancels a running run; it ends CANCELED with the tokens consumed", async () => {
    fake.script({ kind: "stall", blocks: [{ type: "text", text: "working" }], });
    const executor = testExecutor({ anthropicUrl: fake.url });
    const runId = (await acceptRun(principal, { agent: "security-scanner", input: scannerInput }, { executor })).run.id;
    await vi.waitFor(async () => expect((await loadRun(runId)).run.status).toBe("RUNNING"), { timeout: 10_000, interval: 20 });
    await waitForStreamedText(runId); // the stream is open
    await cancelRun(principal.workspace.id, runId, executor);
    await executor.settled();
    const { run, types } = await loadRun(runId);
    expect(run.status).toBe("CANCELED");
    expect(run.errorCode).toBe("canceled");
    expect(types.at(-1)).toBe("usage");
    // It pays for what it consumed (message_start reported 10 in, 1 out): 10×$2/M + 1×$10/M = 30 micro-USD, × the Enterprise tier's 1.1.
    expect([run.inputTokens, run.outputTokens]).toEqual([10, 1]);
    expect(run.providerCostMicros).toBe(30n);
    expect(run.priceMicros).toBe(33n);
  });

  it("fails with invalid_output when the answer is not JSON, or not the output schema", async () => {
    fake.script({ kind: "message", blocks: [{ type: "text", text: "I found nothing to report." }] });
    const prose = await runToEnd(testExecutor({ anthropicUrl: fake.url }), principal);
    expect(prose.run.status).toBe("FAILED");
    expect(prose.run.errorCode).toBe("invalid_output");

    fake.script({ kind: "message", blocks: [{ type: "text", text: JSON.stringify({ summary: "ok", findings: [{ severity: "urgent" }] }) }] });
    const wrong = await runToEnd(testExecutor({ anthropicUrl: fake.url }), principal);
    expect(wrong.run.errorCode).toBe("invalid_output");
    const error = wrong.events.find((e) => e.type === "error")!.data as { details: { issues: { path: string }[] } };
    expect(error.details.issues.map((i) => i.path)).toEqual(expect.arrayContaining(["counts", "findings.0.severity"]));
  });

  it("stops at the turn limit when the model keeps asking for tools", async () => {
    fake.script({ kind: "message", blocks: [{ type: "tool_use", name: "scan_secrets", input: scannerInput }] });
    const { run } = await runToEnd(testExecutor({ anthropicUrl: fake.url, maxTurns: 3 }), principal);
    expect(run.errorCode).toBe("turn_limit");
    expect(fake.requests).toHaveLength(3);
  });
});

describe("the run's event log", () => {
  it("writes nothing in the background once closed, so no event can land after the closing ones", async () => {
    const { run } = await runToEnd(testExecutor(), principal);
    const log = new RunEventLog(sql, run.id, 1_000);
    log.appendText("late text"); // schedules a background flush…
    await log.close(); // …which closing cancels
    await new Promise((r) => setTimeout(r, 250));
    expect(await getDb().runEvent.count({ where: { runId: run.id, seq: { gt: 1_000 } } })).toBe(0);
    expect(log.drain()).toEqual([expect.objectContaining({ seq: 1_001, type: "text", data: { text: "late text" } })]);
  });
});
