import { offlineCalls, recordResult, type AgentPackageDefinition } from "@/lib/agents/define-package";
import { countTokensAsync } from "./count-tokens";
import { ProviderError, type ChatMessage, type ContentBlock, type ModelProvider, type TurnEvent, type TurnRequest, type TurnResult } from "./provider";

// The offline model (SPEC §7): used when no ANTHROPIC_API_KEY is set. It speaks
// the same turn protocol as Claude, so the executor's tool loop, events and
// validation are the same code path: turn 1 asks for the package's planned tool
// calls, turn 2 for its follow-up calls (`then`, chosen from the results) if it
// has any, and the last turn composes the output from the results as JSON.
// Deterministic, token counts from a real tokenizer, $0 model cost.

function toolUses(messages: ChatMessage[]) {
  const names = new Map<string, string>();
  for (const m of messages) for (const b of m.content) if (b.type === "tool_use") names.set(b.id, b.name);
  return names;
}

export class OfflineProvider implements ModelProvider {
  readonly name = "offline" as const;

  constructor(
    private readonly pkg: AgentPackageDefinition,
    private readonly input: unknown,
  ) {}

  async turn(req: TurnRequest, onEvent: (e: TurnEvent) => void): Promise<TurnResult> {
    // Counted a slice at a time: the messages hold the run's input and tool results, up to megabytes.
    const inputTokens = (await countTokensAsync(req.system)) + (await countTokensAsync(JSON.stringify(req.tools))) + (await countTokensAsync(JSON.stringify(req.messages)));
    const names = toolUses(req.messages);
    const content: ContentBlock[] = [];
    const results: Record<string, unknown> = {};
    for (const m of req.messages) {
      for (const b of m.content) {
        if (b.type !== "tool_result") continue;
        const tool = names.get(b.tool_use_id) ?? "unknown";
        if (b.is_error) throw new ProviderError(`The ${tool} tool failed: ${b.content}`, { transient: false, code: "tool_error" });
        recordResult(results, tool, JSON.parse(b.content));
      }
    }

    const rounds = req.messages.filter((m) => m.role === "assistant" && m.content.some((b) => b.type === "tool_use")).length;
    const plan = offlineCalls(this.pkg, this.input, rounds, results);
    if (plan.length) {
      const text = `Offline model: calling ${plan.map((c) => c.tool).join(", ")}.`;
      content.push({ type: "text", text });
      onEvent({ type: "text", text });
      plan.forEach((call, i) => {
        const block = { type: "tool_use" as const, id: `offline_toolu_${rounds + 1}_${String(i + 1).padStart(2, "0")}`, name: call.tool, input: call.input };
        content.push(block);
        onEvent(block);
      });
      return { content, stopReason: "tool_use", usage: await this.usage(inputTokens, content) };
    }

    const text = JSON.stringify(this.pkg.offline.compose(this.input as never, results));
    content.push({ type: "text", text });
    onEvent({ type: "text", text });
    return { content, stopReason: "end_turn", usage: await this.usage(inputTokens, content) };
  }

  private async usage(inputTokens: number, content: ContentBlock[]) {
    const produced = content.map((b) => (b.type === "text" ? b.text : b.type === "tool_use" ? `${b.name}${JSON.stringify(b.input)}` : "")).join("");
    return { inputTokens, outputTokens: await countTokensAsync(produced), cacheWriteTokens: 0, cacheReadTokens: 0 };
  }
}

/** What a run's output made by the offline model is, in the run's API and page (not in the output: its schema may allow no extra field). */
export const OFFLINE_OUTPUT_NOTE = "Composed by Agora's offline planner from the tool results; no language model wrote this output.";

export const offlineModelLabel = (provider: string, model: string) => (provider === "offline" ? "offline model" : model);
