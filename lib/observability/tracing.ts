import { INVALID_SPAN_CONTEXT, SpanStatusCode, trace, type Attributes, type Span } from "@opentelemetry/api";
import { OTLPTraceExporter } from "@opentelemetry/exporter-trace-otlp-http";
import { resourceFromAttributes } from "@opentelemetry/resources";
import { BatchSpanProcessor, NodeTracerProvider } from "@opentelemetry/sdk-trace-node";

// OpenTelemetry traces (SPEC §11): when OTEL_EXPORTER_OTLP_ENDPOINT is set,
// `startTracing()` (instrumentation.ts) registers a tracer provider exporting
// over OTLP/HTTP — Next's own request spans included, as Next reports through
// the global API — and our spans: a run's lifecycle, each model call, each
// tool call, each ledger write. Unset, nothing is registered and `withSpan`
// only calls its function: no span object, no context switch.

const globalForTracing = globalThis as unknown as { agoraTracing?: NodeTracerProvider | null };

export function startTracing(env: Record<string, string | undefined> = process.env): NodeTracerProvider | null {
  if (globalForTracing.agoraTracing !== undefined) return globalForTracing.agoraTracing;
  if (!env.OTEL_EXPORTER_OTLP_ENDPOINT) return (globalForTracing.agoraTracing = null);
  const provider = new NodeTracerProvider({
    resource: resourceFromAttributes({ "service.name": env.OTEL_SERVICE_NAME ?? "agora" }),
    // OTLP/HTTP to <endpoint>/v1/traces; OTEL_EXPORTER_OTLP_HEADERS (e.g. an API key) is read by the exporter.
    spanProcessors: [new BatchSpanProcessor(new OTLPTraceExporter({ url: `${env.OTEL_EXPORTER_OTLP_ENDPOINT.replace(/\/$/, "")}/v1/traces` }))],
  });
  provider.register();
  return (globalForTracing.agoraTracing = provider);
}

// What `withSpan` hands its function when tracing is off: every method a no-op.
const notRecording = trace.wrapSpanContext(INVALID_SPAN_CONTEXT);

/** Runs `fn` in an active span named `name`; errors are recorded on it and re-thrown. */
export function withSpan<T>(name: string, attributes: Attributes, fn: (span: Span) => Promise<T>): Promise<T> {
  if (!globalForTracing.agoraTracing) return fn(notRecording);
  return trace.getTracer("agora").startActiveSpan(name, { attributes }, async (span) => {
    try {
      return await fn(span);
    } catch (err) {
      span.recordException(err as Error);
      span.setStatus({ code: SpanStatusCode.ERROR, message: (err as Error).message });
      throw err;
    } finally {
      span.end();
    }
  });
}

/** A span for work already done between `startTime` and `endTime` (e.g. one of the sub-statements of a statement that just returned), in the active trace. */
export function recordSpan(name: string, attributes: Attributes, startTime: Date, endTime: Date): void {
  trace.getTracer("agora").startSpan(name, { attributes, startTime }).end(endTime);
}
