import { z } from "zod";
import type { DbTx } from "@/lib/db/client";
import type { ToolSpec } from "@/lib/llm/provider";

// One typed definition per agent package (SPEC §2, §6). Built-in packages are
// declared with definePackage in lib/agents/<slug>/ and synced to AgentPackage.

export type ToolContext = {
  workspaceId: string;
  runId: string;
  signal: AbortSignal;
  db: DbTx;
  /** Runs another package as a child run of this one and waits for its end (the executor provides it). */
  runAgent?: (agent: string, input: unknown) => Promise<ChildRunResult>;
};

export type ChildRunResult = {
  runId: string;
  agent: string;
  status: "SUCCEEDED" | "FAILED" | "CANCELED";
  output: unknown;
  error: { code: string; message: string } | null;
  priceMicros: number;
};

export type AgentTool = {
  name: string;
  description: string;
  input: z.ZodType;
  handler: (input: never, ctx: ToolContext) => unknown;
};

/** A tool whose handler is typed by its input schema. */
export function defineTool<S extends z.ZodType>(tool: {
  name: string;
  description: string;
  input: S;
  handler: (input: z.output<S>, ctx: ToolContext) => unknown;
}): AgentTool {
  return tool as AgentTool;
}

export type OfflineCall = { tool: string; input: unknown };

export type AgentPackageDefinition<I extends z.ZodType = z.ZodType, O extends z.ZodType = z.ZodType> = {
  slug: string;
  name: string;
  summary: string;
  description: string;
  category: string;
  capabilities: string[];
  version: string;
  model: string;
  maxOutputTokens: number;
  baseFeeMicros: bigint;
  input: I;
  output: O;
  exampleInput: z.input<I>;
  systemPrompt: string;
  tools: AgentTool[];
  /** A provider's package (HOSTED): its own faults are the provider's (SPEC §13), and the failure-farming cap applies to it. */
  thirdParty?: boolean;
  /** The package's own turn limit (a hosted manifest's); the executor's applies too. */
  maxTurns?: number;
  /**
   * Why a schema-valid input still holds nothing to work on (no rows of data…), or
   * null. Checked before the first model turn: a reason ends the run FAILED with
   * the consumer's input as its cause (`consumer_input`), free and without model calls.
   */
  inputProblem?: (input: z.output<I>) => string | null;
  /**
   * The offline model's fixed plan: which tools to call on this input, optionally
   * a second round chosen from the first round's results (`then`), and how to
   * compose a schema-valid output from all results: keyed by tool name (the last
   * call's), and under `<name>*` the list of every call's result in order.
   */
  offline: {
    plan: (input: z.output<I>) => OfflineCall[];
    then?: (input: z.output<I>, results: Record<string, unknown>) => OfflineCall[];
    /** Instead of `then`: asked every round after the first, until it gives no call (a hosted manifest's calls that use earlier results). */
    next?: (input: z.output<I>, results: Record<string, unknown>, round: number) => OfflineCall[];
    compose: (input: z.output<I>, results: Record<string, unknown>) => z.input<O>;
  };
};

export function definePackage<I extends z.ZodType, O extends z.ZodType>(def: AgentPackageDefinition<I, O>): AgentPackageDefinition<I, O> {
  const names = def.tools.map((t) => t.name);
  if (new Set(names).size !== names.length) throw new Error(`${def.slug}: tool names must be unique`);
  if (!/^[a-z0-9]+(-[a-z0-9]+)*$/.test(def.slug)) throw new Error(`${def.slug}: slugs are kebab-case`);
  const example = def.input.safeParse(def.exampleInput);
  if (!example.success) throw new Error(`${def.slug}: the example input does not match the input schema`);
  return def;
}

/** The offline model's calls in round `round` (0: `plan`, 1: `then`, none after; or `next` for every round after 0), given the results so far. */
export function offlineCalls(pkg: AgentPackageDefinition, input: unknown, round: number, results: Record<string, unknown>): OfflineCall[] {
  if (round === 0) return pkg.offline.plan(input as never);
  if (pkg.offline.next) return pkg.offline.next(input as never, results, round);
  if (round === 1 && pkg.offline.then) return pkg.offline.then(input as never, results);
  return [];
}

/** Records a tool result for the offline plan (see `offline` above). */
export function recordResult(results: Record<string, unknown>, tool: string, result: unknown): void {
  results[tool] = result;
  const all = (results[`${tool}*`] ??= []) as unknown[];
  all.push(result);
}

const jsonSchema = (schema: z.ZodType) => z.toJSONSchema(schema, { io: "input", unrepresentable: "any" }) as Record<string, unknown>;

/** Input and output as JSON Schema, for the API and the generated form. */
export function packageJsonSchemas(def: AgentPackageDefinition) {
  return { input: jsonSchema(def.input), output: z.toJSONSchema(def.output, { unrepresentable: "any" }) as Record<string, unknown> };
}

/** The tools as the model sees them. */
export function toolSpecs(def: AgentPackageDefinition): ToolSpec[] {
  return def.tools.map((t) => ({ name: t.name, description: t.description, inputSchema: jsonSchema(t.input) }));
}
