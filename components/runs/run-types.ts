// What the run page reads from the API (shapes of lib/runs/run-queries.ts and the SSE events).
import type { FailureCause, RunEventType } from "@/lib/generated/prisma/enums";

export type { RunDetail, RunSummary } from "@/lib/runs/run-queries";

export type RunEvent = { seq: number; type: RunEventType; data: Record<string, unknown>; at: string };

export type TranscriptItem =
  | { kind: "text"; key: string; text: string }
  | { kind: "answer"; key: string; text: string }
  | { kind: "tool"; key: string; id: string; name: string; input: unknown; result?: { ok: boolean; result?: unknown; error?: string; durationMs?: number } }
  | { kind: "retry"; key: string; attempt: number; delayMs: number; reason: string }
  | { kind: "resumed"; key: string }
  | { kind: "error"; key: string; code: string; message: string };

// A failed or canceled run's error code ("tool_error") in words; the API keeps the code.
const RUN_ERROR_TITLES: Record<string, string> = {
  tool_error: "A tool the agent used failed",
  consumer_input: "The input could not be used",
  provider_error: "The model provider returned an error",
  provider_unavailable: "The model provider is unavailable",
  invalid_output: "The agent's answer did not have the expected shape",
  turn_limit: "The agent took too many steps",
  timeout: "The run took too long",
  interrupted: "The run was interrupted",
  canceled: "Canceled",
  package_unavailable: "This agent is not available",
  internal_error: "Something went wrong on our side",
  manifest_error: "The package's manifest could not be carried out",
  offline_unavailable: "This agent cannot run on the offline model",
};

// Who a failed run's failure is due to (SPEC §13), in words.
const FAILURE_CAUSES: Record<FailureCause, string> = {
  consumer_input: "Cause: the input given to the agent. Failed runs are free.",
  provider: "Cause: the package's provider (its manifest, tools, endpoint or output). Failed runs are free.",
  platform: "Cause: Agora (a model outage, an interruption or an error on our side). Failed runs are free.",
  canceled: "Canceled before it finished: only the model use up to then is charged, without the base fee.",
};

export const failureCauseText = (cause: FailureCause) => FAILURE_CAUSES[cause];

/** A run error's title for people: "tool_error" → "A tool the agent used failed"; an unknown code → "The run failed". */
export const runErrorTitle = (code: string) => RUN_ERROR_TITLES[code] ?? "The run failed";

/** Folds the event log into what the transcript shows: merged text, tool calls with their results, retries, resumes, errors, and the final answer. */
export function transcript(events: RunEvent[]): TranscriptItem[] {
  const items: TranscriptItem[] = [];
  for (const e of events) {
    const last = items.at(-1);
    if (e.type === "text") {
      const text = String(e.data.text ?? "");
      if (last?.kind === "text") last.text += text;
      else items.push({ kind: "text", key: `t${e.seq}`, text });
    } else if (e.type === "tool_call") {
      items.push({ kind: "tool", key: `c${e.seq}`, id: String(e.data.id), name: String(e.data.name), input: e.data.input });
    } else if (e.type === "tool_result") {
      // The latest call with this id still open: a resumed run may have asked for it again after a crash cut it short.
      const call = items.findLast((i): i is Extract<TranscriptItem, { kind: "tool" }> => i.kind === "tool" && i.id === e.data.id && !i.result);
      if (call) call.result = e.data as NonNullable<typeof call.result>;
    } else if (e.type === "status" && e.data.retry) {
      const r = e.data.retry as { attempt: number; delayMs: number; reason: string };
      items.push({ kind: "retry", key: `r${e.seq}`, ...r });
    } else if (e.type === "resumed") {
      items.push({ kind: "resumed", key: `s${e.seq}` });
    } else if (e.type === "output" && last?.kind === "text") {
      // The text just before the output is the answer the output was parsed from.
      items[items.length - 1] = { ...last, kind: "answer" };
    } else if (e.type === "error") {
      items.push({ kind: "error", key: `e${e.seq}`, code: String(e.data.code), message: String(e.data.message) });
    }
  }
  return items;
}
