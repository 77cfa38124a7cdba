import Anthropic from "@anthropic-ai/sdk";
import { metrics } from "@/lib/observability/metrics";
import { emptyUsage, ProviderError, type ContentBlock, type ModelProvider, type TurnEvent, type TurnRequest, type TurnResult, type Usage } from "./provider";

const TRANSIENT_STATUS = new Set([408, 409, 429, 500, 502, 503, 504, 529]);
const TRANSIENT_TYPES = new Set(["overloaded_error", "api_error", "rate_limit_error", "timeout_error"]);

function retryAfterMs(headers: Headers | undefined): number | undefined {
  const ms = headers?.get("retry-after-ms");
  if (ms && Number.isFinite(Number(ms))) return Number(ms);
  const s = headers?.get("retry-after");
  if (!s) return undefined;
  if (Number.isFinite(Number(s))) return Number(s) * 1000;
  const at = Date.parse(s);
  return Number.isNaN(at) ? undefined : Math.max(0, at - Date.now());
}

function usageFrom(u: Partial<Anthropic.Usage> | Partial<Anthropic.MessageDeltaUsage> | undefined, into: Usage): Usage {
  // message_delta usage is cumulative: take the latest value of each counter.
  return {
    inputTokens: u?.input_tokens ?? into.inputTokens,
    outputTokens: u?.output_tokens ?? into.outputTokens,
    cacheWriteTokens: u?.cache_creation_input_tokens ?? into.cacheWriteTokens,
    cacheReadTokens: u?.cache_read_input_tokens ?? into.cacheReadTokens,
  };
}

/** Claude through the official SDK. Its own retries are off: the executor's retry policy is the only one. */
export class AnthropicProvider implements ModelProvider {
  readonly name = "anthropic" as const;
  private readonly client: Anthropic;

  constructor(opts: { apiKey: string; baseURL?: string; timeoutMs?: number }) {
    this.client = new Anthropic({ apiKey: opts.apiKey, baseURL: opts.baseURL, maxRetries: 0, timeout: opts.timeoutMs ?? 120_000 });
  }

  async turn(req: TurnRequest, onEvent: (e: TurnEvent) => void): Promise<TurnResult> {
    let usage = emptyUsage();
    try {
      const stream = this.client.messages.stream(
        {
          model: req.model,
          system: req.system,
          max_tokens: req.maxTokens,
          messages: req.messages as Anthropic.MessageParam[],
          tools: req.tools.map((t) => ({ name: t.name, description: t.description, input_schema: t.inputSchema as Anthropic.Tool.InputSchema })),
        },
        { signal: req.signal },
      );
      for await (const event of stream) {
        if (event.type === "message_start") usage = usageFrom(event.message.usage, usage);
        else if (event.type === "message_delta") usage = usageFrom(event.usage, usage);
        else if (event.type === "content_block_delta" && event.delta.type === "text_delta") onEvent({ type: "text", text: event.delta.text });
      }
      const message = await stream.finalMessage();
      const content: ContentBlock[] = [];
      for (const block of message.content) {
        if (block.type === "text") content.push({ type: "text", text: block.text });
        if (block.type === "tool_use") {
          content.push({ type: "tool_use", id: block.id, name: block.name, input: block.input });
          onEvent({ type: "tool_use", id: block.id, name: block.name, input: block.input });
        }
      }
      metrics().llmRequests.inc({ provider: "anthropic", status: "ok" });
      return { content, stopReason: message.stop_reason, usage: usageFrom(message.usage, usage) };
    } catch (err) {
      const failure = toProviderError(err, usage);
      metrics().llmRequests.inc({ provider: "anthropic", status: failure.opts.status ? String(failure.opts.status) : (failure.opts.code ?? "error") });
      throw failure;
    }
  }
}

function toProviderError(err: unknown, usage: Usage): ProviderError {
  if (err instanceof Anthropic.APIUserAbortError) return new ProviderError("The model call was aborted.", { transient: false, code: "aborted", usage });
  if (err instanceof Anthropic.APIConnectionTimeoutError) return new ProviderError("The model did not answer in time.", { transient: true, code: "timeout", usage });
  if (err instanceof Anthropic.APIConnectionError) return new ProviderError("Could not reach the model provider.", { transient: true, code: "connection", usage });
  if (err instanceof Anthropic.APIError) {
    const body = err.error as { error?: { type?: string; message?: string } } | undefined;
    const type = body?.error?.type;
    const transient = (err.status !== undefined && TRANSIENT_STATUS.has(err.status)) || (type !== undefined && TRANSIENT_TYPES.has(type));
    return new ProviderError(body?.error?.message ?? err.message, { transient, status: err.status, retryAfterMs: retryAfterMs(err.headers), code: type, usage });
  }
  return new ProviderError((err as Error)?.message ?? "Unknown provider error.", { transient: false, usage });
}
