// The provider interface the executor talks to: one model turn, streamed.
// Message shapes follow the Messages API, which both providers speak.

export type ContentBlock =
  | { type: "text"; text: string }
  | { type: "tool_use"; id: string; name: string; input: unknown }
  | { type: "tool_result"; tool_use_id: string; content: string; is_error?: boolean };

export type ChatMessage = { role: "user" | "assistant"; content: ContentBlock[] };

export type ToolSpec = { name: string; description: string; inputSchema: Record<string, unknown> };

export type Usage = { inputTokens: number; outputTokens: number; cacheWriteTokens: number; cacheReadTokens: number };
export const emptyUsage = (): Usage => ({ inputTokens: 0, outputTokens: 0, cacheWriteTokens: 0, cacheReadTokens: 0 });

export type TurnRequest = {
  model: string;
  system: string;
  messages: ChatMessage[];
  tools: ToolSpec[];
  maxTokens: number;
  signal?: AbortSignal;
};

export type TurnEvent = { type: "text"; text: string } | { type: "tool_use"; id: string; name: string; input: unknown };

export type TurnResult = { content: ContentBlock[]; stopReason: string | null; usage: Usage };

export interface ModelProvider {
  readonly name: "anthropic" | "offline";
  turn(request: TurnRequest, onEvent: (event: TurnEvent) => void): Promise<TurnResult>;
}

/**
 * A failed turn. `transient` errors (429, 5xx, 529, timeouts, overloaded
 * mid-stream) may be retried; `usage` holds the tokens seen before the failure.
 */
export class ProviderError extends Error {
  constructor(
    message: string,
    readonly opts: { transient: boolean; status?: number; retryAfterMs?: number; usage?: Usage; code?: string },
  ) {
    super(message);
    this.name = "ProviderError";
  }
  get transient() {
    return this.opts.transient;
  }
}
