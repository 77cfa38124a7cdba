import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AnthropicProvider } from "@/lib/llm/anthropic-provider";
import { CircuitBreaker } from "@/lib/llm/circuit-breaker";
import { ProviderError, type TurnEvent, type TurnRequest } from "@/lib/llm/provider";
import { backoffDelay, withRetries } from "@/lib/llm/retry-policy";
import { startFakeAnthropic, type FakeAnthropic } from "../fakes/anthropic-server";

// The real @anthropic-ai/sdk against a local server speaking the Messages API.

let fake: FakeAnthropic;
let provider: AnthropicProvider;
beforeAll(async () => {
  fake = await startFakeAnthropic();
  provider = new AnthropicProvider({ apiKey: "sk-ant-test-key-not-real", baseURL: fake.url, timeoutMs: 5_000 });
});
afterAll(() => fake.close());

const request = (over: Partial<TurnRequest> = {}): TurnRequest => ({
  model: "claude-sonnet-5-5",
  system: "You are a test.",
  messages: [{ role: "user", content: [{ type: "text", text: "hello" }] }],
  tools: [{ name: "scan_secrets", description: "Scan files", inputSchema: { type: "object", properties: { files: { type: "array" } } } }],
  maxTokens: 256,
  ...over,
});

const failureOf = (p: Promise<unknown>) => p.then(() => null, (e: unknown) => e as ProviderError);

describe("AnthropicProvider (real SDK, fake server)", () => {
  it("streams text deltas and reports usage", async () => {
    fake.script({ kind: "message", blocks: [{ type: "text", text: "Hello from a streamed answer." }], usage: { input: 42, output: 7, cacheRead: 30 } });
    const events: TurnEvent[] = [];
    const result = await provider.turn(request(), (e) => events.push(e));
    const texts = events.filter((e) => e.type === "text").map((e) => (e as { text: string }).text);
    expect(texts.length).toBeGreaterThan(1);
    expect(texts.join("")).toBe("Hello from a streamed answer.");
    expect(result.content).toEqual([{ type: "text", text: "Hello from a streamed answer." }]);
    expect(result.usage).toEqual({ inputTokens: 42, outputTokens: 7, cacheWriteTokens: 0, cacheReadTokens: 30 });
    const sent = fake.requests.at(-1)!;
    expect(sent.path).toBe("/v1/messages");
    expect(sent.body.stream).toBe(true);
    // SDK 1.x sends the key as a bearer token (older versions used x-api-key).
    expect(sent.headers.authorization ?? `Bearer ${sent.headers["x-api-key"]}`).toBe("Bearer sk-ant-test-key-not-real");
    expect(sent.headers["x-stainless-retry-count"]).toBe("0");
    expect((sent.body.tools as { name: string }[])[0]!.name).toBe("scan_secrets");
  });

  it("reassembles tool_use input from input_json_delta chunks", async () => {
    const input = { files: [{ path: "a.py", content: "x = 1\n" }, { path: "b.js", content: "eval(y)" }] };
    fake.script({ kind: "message", blocks: [{ type: "text", text: "Scanning." }, { type: "tool_use", id: "toolu_1", name: "scan_secrets", input }] });
    const events: TurnEvent[] = [];
    const result = await provider.turn(request(), (e) => events.push(e));
    expect(result.stopReason).toBe("tool_use");
    expect(result.content[1]).toEqual({ type: "tool_use", id: "toolu_1", name: "scan_secrets", input });
    expect(events.at(-1)).toEqual({ type: "tool_use", id: "toolu_1", name: "scan_secrets", input });
  });

  it("turns 429 with retry-after and 529 overloaded into transient errors", async () => {
    fake.script({ kind: "http_error", status: 429, type: "rate_limit_error", retryAfterSeconds: 3 });
    const limited = await failureOf(provider.turn(request(), () => {}));
    expect(limited).toBeInstanceOf(ProviderError);
    expect(limited!.opts).toMatchObject({ transient: true, status: 429, retryAfterMs: 3000 });

    fake.script({ kind: "http_error", status: 529, type: "overloaded_error" });
    expect((await failureOf(provider.turn(request(), () => {})))!.opts).toMatchObject({ transient: true, status: 529, code: "overloaded_error" });

    fake.script({ kind: "http_error", status: 400, type: "invalid_request_error" });
    expect((await failureOf(provider.turn(request(), () => {})))!.transient).toBe(false);
  });

  it("fails on an error event after a 200, keeping the tokens seen so far", async () => {
    fake.script({ kind: "stream_error", blocks: [{ type: "text", text: "partial answer" }], usage: { input: 50, output: 12 } });
    const events: TurnEvent[] = [];
    const err = await failureOf(provider.turn(request(), (e) => events.push(e)));
    expect(err).toBeInstanceOf(ProviderError);
    expect(err!.transient).toBe(true);
    expect(err!.opts.usage).toMatchObject({ inputTokens: 50, outputTokens: 12 });
    expect(events.map((e) => (e.type === "text" ? e.text : "")).join("")).toBe("partial answer");
  });

  it("stops a stalled stream when the caller aborts", async () => {
    fake.script({ kind: "stall", blocks: [{ type: "text", text: "thinking" }] });
    const controller = new AbortController();
    const pending = failureOf(provider.turn(request({ signal: controller.signal }), () => controller.abort()));
    const err = await pending;
    expect(err!.opts.code).toBe("aborted");
    expect(err!.transient).toBe(false);
  });
});

describe("retry policy and circuit breaker (against the fake)", () => {
  const fast = { maxRetries: 3, baseDelayMs: 1, maxDelayMs: 5 };

  it("retries 529 twice then succeeds, counting exactly two retries", async () => {
    fake.script(
      { kind: "http_error", status: 529, type: "overloaded_error" },
      { kind: "http_error", status: 529, type: "overloaded_error" },
      { kind: "message", blocks: [{ type: "text", text: "finally" }] },
    );
    const before = fake.requests.length;
    const retries: number[] = [];
    const result = await withRetries(() => provider.turn(request(), () => {}), { policy: fast, onRetry: (n) => retries.push(n) });
    expect(result.content).toEqual([{ type: "text", text: "finally" }]);
    expect(retries).toEqual([1, 2]);
    expect(fake.requests.length - before).toBe(3);
  });

  it("never retries more than the policy allows, nor non-transient errors", async () => {
    fake.script({ kind: "http_error", status: 529, type: "overloaded_error" });
    let before = fake.requests.length;
    await expect(withRetries(() => provider.turn(request(), () => {}), { policy: fast })).rejects.toBeInstanceOf(ProviderError);
    expect(fake.requests.length - before).toBe(4);

    fake.script({ kind: "http_error", status: 400, type: "invalid_request_error" });
    before = fake.requests.length;
    await expect(withRetries(() => provider.turn(request(), () => {}), { policy: fast })).rejects.toBeInstanceOf(ProviderError);
    expect(fake.requests.length - before).toBe(1);
  });

  it("opens on persistent 529s, then fails fast without calling the server, and half-opens after the cooldown", async () => {
    let now = 1_000_000;
    const breaker = new CircuitBreaker("anthropic", { failureThreshold: 3, cooldownMs: 10_000, now: () => now });
    fake.script({ kind: "http_error", status: 529, type: "overloaded_error" });
    for (let i = 0; i < 3; i++) await expect(breaker.run(() => provider.turn(request(), () => {}))).rejects.toBeInstanceOf(ProviderError);
    expect(breaker.current()).toBe("open");

    const before = fake.requests.length;
    const fastFail = await failureOf(breaker.run(() => provider.turn(request(), () => {})));
    expect(fastFail!.opts.code).toBe("provider_unavailable");
    expect(fake.requests.length).toBe(before);

    now += 10_000;
    expect(breaker.current()).toBe("half_open");
    fake.script({ kind: "message", blocks: [{ type: "text", text: "recovered" }] });
    await expect(breaker.run(() => provider.turn(request(), () => {}))).resolves.toMatchObject({ content: [{ type: "text", text: "recovered" }] });
    expect(breaker.current()).toBe("closed");
  });

  it("uses full jitter within the cap and honours retry-after", () => {
    const policy = { maxRetries: 5, baseDelayMs: 100, maxDelayMs: 1_000 };
    expect(backoffDelay(policy, 0, undefined, () => 0.999)).toBe(99);
    expect(backoffDelay(policy, 3, undefined, () => 0.5)).toBe(400);
    expect(backoffDelay(policy, 10, undefined, () => 0.999)).toBe(999);
    expect(backoffDelay(policy, 0, 700, () => 0)).toBe(700);
    expect(backoffDelay(policy, 0, 60_000, () => 0)).toBe(1_000);
  });
});
