import { formatSSEErrorEvent, formatSSEEvent, SSE_HEADERS } from "@a2a-js/sdk";
import { isLegacyJsonRpcMethod } from "@a2a-js/sdk/compat/v0_3";
import { LegacyJsonRpcTransportHandler } from "@a2a-js/sdk/compat/v0_3/server";
import { A2A_ERROR_CODE, A2AError } from "@a2a-js/sdk/errors";
import { JsonRpcTransportHandler, ServerCallContext } from "@a2a-js/sdk/server";
import { ApiError, toApiError, type FieldIssue } from "@/lib/http/errors";
import { log } from "@/lib/observability/log";
import { RunTaskHandler, type RunTaskOptions } from "./run-tasks";

// The A2A JSON-RPC endpoint's transport (POST /api/a2a/<slug>), what the SDK's
// Express adapter does, for a Next route handler: a v0.3 method name
// (message/send, message/stream, tasks/get, tasks/cancel, tasks/resubscribe) goes
// to the SDK's v0.3 compat handler, any other to its v1.0 one (SendMessage,
// SendStreamingMessage, GetTask, CancelTask, SubscribeToTask); both call the same
// RunTaskHandler. A streaming method answers Server-Sent Events, unless it fails
// before its first event (then one JSON-RPC error, as JSON). Agora's own refusals
// (400 invalid input, 402 no credit, 429, …) become JSON-RPC errors: -32602
// (invalid params) for a 400, -32603 for a 5xx, -32000 otherwise, with the REST
// error (code, HTTP status, details) in `data`.

/** The `@type` of the detail carrying Agora's error in a JSON-RPC error's `data`. */
export const AGORA_ERROR_TYPE = "agora/error";
const HEARTBEAT_MS = 15_000;

type RpcError = { code: number; message: string; data?: unknown };
type RpcResponse = { jsonrpc: string; id: string | number | null; result?: unknown; error?: unknown };

/** An error of ours as a JSON-RPC error: Agora's message (naming the fields of invalid input) and its REST error in `data`. */
export function agoraRpcError(err: unknown): RpcError {
  const e = toApiError(err);
  if (!(err instanceof ApiError) && e.status >= 500) log.error("a2a request failed", { err });
  const issues = (e.details as { issues?: FieldIssue[] } | undefined)?.issues;
  const message = issues?.length ? `${e.message} (${issues.map((i) => i.path).join(", ")})` : e.message;
  const code = e.status === 400 ? A2A_ERROR_CODE.INVALID_PARAMS : e.status >= 500 ? A2A_ERROR_CODE.INTERNAL_ERROR : -32000;
  return { code, message, data: [{ "@type": AGORA_ERROR_TYPE, code: e.code, status: e.status, ...(e.details === undefined ? {} : { details: e.details }) }] };
}

const isStream = (v: unknown): v is AsyncGenerator<RpcResponse, void, undefined> => typeof (v as AsyncIterable<unknown>)[Symbol.asyncIterator] === "function";

/** Answers one JSON-RPC request (already parsed JSON) for a package's agent. */
export async function handleA2aRequest(body: unknown, opts: RunTaskOptions): Promise<Response> {
  const method = (body as { method?: unknown } | null)?.method;
  const legacy = typeof method === "string" && isLegacyJsonRpcMethod(method);
  const id = ((body as { id?: unknown } | null)?.id ?? null) as RpcResponse["id"];
  // Aborted when the caller goes away or stops reading the stream: the handler stops following the run.
  const stop = new AbortController();
  opts.signal.addEventListener("abort", () => stop.abort(), { once: true });
  const handler = new RunTaskHandler({ ...opts, signal: stop.signal });
  const rpcError = (err: unknown) => (err instanceof A2AError ? (legacy ? LegacyJsonRpcTransportHandler.mapToLegacyJSONRPCError(err) : JsonRpcTransportHandler.mapToJSONRPCError(err)) : agoraRpcError(err));
  const transport = legacy ? new LegacyJsonRpcTransportHandler(handler) : new JsonRpcTransportHandler(handler);
  const context = new ServerCallContext({ requestedVersion: legacy ? "0.3" : "1.0" });
  const out = (await transport.handle(body as Record<string, unknown>, context)) as RpcResponse | AsyncGenerator<RpcResponse, void, undefined>;

  if (!isStream(out)) {
    // The SDK answered an error of ours as an internal error: answer it as Agora's refusal instead.
    if (out.error && handler.failure !== undefined) out.error = agoraRpcError(handler.failure);
    return Response.json(out);
  }
  let first: IteratorResult<RpcResponse, void>;
  try {
    first = await out.next();
  } catch (err) {
    return Response.json({ jsonrpc: "2.0", id, error: rpcError(err) });
  }
  const encoder = new TextEncoder();
  const stream = new ReadableStream<Uint8Array>({
    async start(controller) {
      const send = (text: string) => {
        if (!stop.signal.aborted) controller.enqueue(encoder.encode(text));
      };
      const heartbeat = setInterval(() => send(": keep-alive\n\n"), HEARTBEAT_MS);
      try {
        for (let next = first; !next.done; next = await out.next()) send(formatSSEEvent(next.value));
      } catch (err) {
        send(formatSSEErrorEvent({ jsonrpc: "2.0", id, error: rpcError(err) }));
      } finally {
        clearInterval(heartbeat);
      }
      if (!stop.signal.aborted) controller.close();
    },
    cancel() {
      stop.abort(); // the caller went away: the handler stops following the run, which carries on
    },
  });
  return new Response(stream, { headers: SSE_HEADERS });
}
