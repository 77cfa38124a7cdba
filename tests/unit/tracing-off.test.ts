import type { Span } from "@opentelemetry/api";
import { describe, expect, it } from "vitest";
import { startTracing, withSpan } from "@/lib/observability/tracing";

// Without OTEL_EXPORTER_OTLP_ENDPOINT, withSpan (every run, model call, tool
// call and ledger write) costs its function call only: no span, no context.

describe("withSpan with tracing off", () => {
  it("makes no span: its function gets one shared non-recording span, and what it returns or throws passes through", async () => {
    expect(startTracing({})).toBeNull();
    const spans: Span[] = [];
    expect(await withSpan("a", { n: 1 }, async (span) => (spans.push(span), 1))).toBe(1);
    await expect(withSpan("b", {}, async (span) => (spans.push(span), Promise.reject(new Error("boom"))))).rejects.toThrow("boom");
    expect(spans).toHaveLength(2);
    expect(spans[0]).toBe(spans[1]);
    expect(spans[0]!.isRecording()).toBe(false);
  });
});
