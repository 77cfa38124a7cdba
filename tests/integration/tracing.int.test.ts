import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, describe, expect, it } from "vitest";
import { startTracing } from "@/lib/observability/tracing";
import { startFakeAnthropic } from "../fakes/anthropic-server";
import { createUser } from "../helpers/factories";
import { runToEnd, scannerAnswer, scannerInput, testExecutor } from "../helpers/run-harness";

// Traces over OTLP/HTTP to a local collector stand-in: a run's span with its
// model calls, tool call and ledger writes inside it, in one trace.

type OtlpSpan = { traceId: string; spanId: string; parentSpanId?: string; name: string; attributes: { key: string; value: { stringValue?: string } }[] };
const received: OtlpSpan[] = [];
const collector = http.createServer((req, res) => {
  let body = "";
  req.on("data", (c: Buffer) => (body += c.toString()));
  req.on("end", () => {
    if (req.url === "/v1/traces") {
      const parsed = JSON.parse(body) as { resourceSpans: { resource: unknown; scopeSpans: { spans: OtlpSpan[] }[] }[] };
      for (const rs of parsed.resourceSpans) for (const ss of rs.scopeSpans) received.push(...ss.spans);
    }
    res.writeHead(200, { "content-type": "application/json" });
    res.end("{}");
  });
});
await new Promise<void>((r) => collector.listen(0, "127.0.0.1", r));
const fake = await startFakeAnthropic();
afterAll(async () => {
  await fake.close();
  await new Promise((r) => collector.close(r));
});

describe("tracing", () => {
  it("without OTEL_EXPORTER_OTLP_ENDPOINT nothing is registered", () => {
    expect(startTracing({})).toBeNull();
  });

  it("exports a run's span tree over OTLP: run → model.call ×2, tool.call, ledger.write", async () => {
    // The check above cached "off" for this process: start for real with the endpoint.
    (globalThis as { agoraTracing?: unknown }).agoraTracing = undefined;
    const provider = startTracing({ OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${(collector.address() as AddressInfo).port}`, OTEL_SERVICE_NAME: "agora-test" });
    expect(provider).not.toBeNull();
    const owner = await createUser("tracing", { tier: "enterprise" });
    fake.script(
      { kind: "message", blocks: [{ type: "tool_use", name: "scan_secrets", input: { files: scannerInput.files } }], stopReason: "tool_use", usage: { input: 500, output: 20 } },
      { kind: "message", blocks: [{ type: "text", text: scannerAnswer() }], usage: { input: 700, output: 40 } },
    );
    const { run } = await runToEnd(testExecutor({ anthropicUrl: fake.url }), owner.principal);
    expect(run.status).toBe("SUCCEEDED");
    await provider!.forceFlush();
    const attr = (s: OtlpSpan, k: string) => s.attributes.find((a) => a.key === k)?.value.stringValue;
    const root = received.find((s) => s.name === "run" && attr(s, "agora.run_id") === run.id);
    expect(root).toBeDefined();
    const inTrace = received.filter((s) => s.traceId === root!.traceId);
    expect(inTrace.filter((s) => s.name === "model.call")).toHaveLength(2);
    expect(inTrace.filter((s) => s.name === "model.call").every((s) => s.parentSpanId === root!.spanId)).toBe(true);
    expect(inTrace.find((s) => s.name === "tool.call")).toMatchObject({ parentSpanId: root!.spanId });
    expect(attr(inTrace.find((s) => s.name === "tool.call")!, "agora.tool")).toBe("scan_secrets");
    // Settlement happens inside the run: its ledger writes (model cost, post) belong to the trace.
    expect(inTrace.filter((s) => s.name === "ledger.write").length).toBeGreaterThanOrEqual(2);
    await provider!.shutdown();
  });
});
