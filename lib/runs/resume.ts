import { emptyUsage, type ChatMessage, type ContentBlock, type Usage } from "@/lib/llm/provider";

// Crash resume (issue 17): a run whose worker died is taken up again by another
// from its event log. The conversation is rebuilt from what the log proves
// happened: each model turn's text and the tool calls that completed, with
// their results. A tool call without a result, and a turn that asked for no
// tool (it was still streaming when the worker stopped), are dropped: the model
// is asked again from the last completed tool result. Completed tool calls are
// never executed again — the executor writes each result durably before it
// goes on. Usage is what the completed turns reported (tool_call events carry
// their turn's tokens); a turn requested again is paid again, as it was used.

const TOOL_RESULT_LIMIT = 200_000; // characters of JSON handed back to a language model

export type ToolOutcome = { ok: true; result: unknown } | { ok: false; error: string };

/** A tool's outcome as the model gets it back. The offline model parses results as JSON, so it gets them whole. */
export function toolResultBlock(providerName: string, toolUseId: string, outcome: ToolOutcome): ContentBlock {
  const content = outcome.ok ? JSON.stringify(outcome.result ?? null) : outcome.error;
  return { type: "tool_result", tool_use_id: toolUseId, content: providerName === "offline" ? content : content.slice(0, TOOL_RESULT_LIMIT), ...(outcome.ok ? {} : { is_error: true }) };
}

export type LoggedEvent = { seq: number; type: string; data: unknown };

export type ResumePoint = {
  /** The conversation after the first user message: assistant turns and their tool results. */
  messages: ChatMessage[];
  /** Model turns completed (the next is turns + 1). */
  turns: number;
  usage: Usage;
  toolCalls: number;
  retries: number;
  lastSeq: number;
};

type Turn = { text: string; number?: number; uses: Extract<ContentBlock, { type: "tool_use" }>[]; results: Map<string, ContentBlock> };

type Data = Record<string, unknown>;

function addUsage(total: Usage, more: unknown) {
  if (!more || typeof more !== "object") return;
  const u = more as Partial<Usage>;
  total.inputTokens += u.inputTokens ?? 0;
  total.outputTokens += u.outputTokens ?? 0;
  total.cacheWriteTokens += u.cacheWriteTokens ?? 0;
  total.cacheReadTokens += u.cacheReadTokens ?? 0;
}

/** Where a run stands according to its event log (in seq order). One pass, linear in the log. */
export function resumePoint(events: LoggedEvent[], providerName: string): ResumePoint {
  const turns: Turn[] = [];
  let current: Turn = { text: "", uses: [], results: new Map() };
  const usage = emptyUsage();
  let retries = 0;
  let lastSeq = 0;
  const next = () => {
    turns.push(current);
    current = { text: "", uses: [], results: new Map() };
  };
  for (const e of events) {
    lastSeq = Math.max(lastSeq, e.seq);
    const d = (e.data ?? {}) as Data;
    if (e.type === "text") {
      if (current.uses.length) next(); // text after tool calls opens the next turn
      current.text += String(d.text ?? "");
    } else if (e.type === "tool_call") {
      const turn = typeof d.turn === "number" ? d.turn : undefined;
      if (current.uses.length && turn !== current.number) next();
      current.number = turn;
      current.uses.push({ type: "tool_use", id: String(d.id), name: String(d.name), input: d.input ?? {} });
      addUsage(usage, d.usage);
    } else if (e.type === "tool_result") {
      const outcome: ToolOutcome = d.ok ? { ok: true, result: d.result } : { ok: false, error: String(d.error ?? "") };
      current.results.set(String(d.id), toolResultBlock(providerName, String(d.id), outcome));
    } else if (e.type === "status" && d.retry) {
      retries++;
    }
  }
  next();

  const messages: ChatMessage[] = [];
  let toolCalls = 0;
  let completed = 0;
  for (const t of turns) {
    const done = t.uses.filter((u) => t.results.has(u.id));
    if (!done.length) continue; // no tool finished: the turn is asked for again
    completed++;
    toolCalls += done.length;
    messages.push({ role: "assistant", content: [...(t.text ? [{ type: "text" as const, text: t.text }] : []), ...done] });
    messages.push({ role: "user", content: done.map((u) => t.results.get(u.id)!) });
  }
  return { messages, turns: completed, usage, toolCalls, retries, lastSeq };
}
