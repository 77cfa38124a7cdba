import { z } from "zod";
import type { FailureCause } from "@/lib/generated/prisma/enums";
import { zodIssues } from "@/lib/http/errors";

/** A run's failure; `failureCause`, when given, decides its failure attribution (else lib/runs/failure-cause.ts does from the code). */
export class RunFailure extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly details?: unknown,
    /** Who the failure is attributed to (SPEC §13), recorded on the run; otherwise decided from the code (lib/runs/failure-cause.ts). */
    readonly failureCause?: FailureCause,
  ) {
    super(message);
    this.name = "RunFailure";
  }
}

/** The JSON object in the model's final answer: the whole text, or a fenced / embedded object. */
function extractJson(text: string): unknown {
  const trimmed = text.trim();
  const fenced = /```(?:json)?\s*([\s\S]*?)```/.exec(trimmed)?.[1];
  const candidates = [trimmed, fenced, trimmed.slice(trimmed.indexOf("{"), trimmed.lastIndexOf("}") + 1)];
  for (const candidate of candidates) {
    if (!candidate) continue;
    try {
      return JSON.parse(candidate);
    } catch {
      // try the next shape
    }
  }
  throw new RunFailure("invalid_output", "The model's final answer was not JSON.", { excerpt: trimmed.slice(0, 200) });
}

/** Validates the final answer against the package's output schema (SPEC §3 "Finish"). */
export function parseModelOutput<O extends z.ZodType>(schema: O, text: string): z.output<O> {
  const parsed = schema.safeParse(extractJson(text));
  if (!parsed.success) {
    throw new RunFailure("invalid_output", "The model's answer does not match the agent's output schema.", { issues: zodIssues(parsed.error) });
  }
  return parsed.data;
}
