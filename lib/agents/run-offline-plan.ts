import type { z } from "zod";
import { offlineCalls, recordResult, type AgentPackageDefinition, type ToolContext } from "./define-package";

export type PlannedToolCall = { tool: string; input: unknown; result: unknown };

/**
 * Runs a package's offline plan without the executor (for tool-level tests), round
 * by round as the offline model would: each planned call's input is validated with the
 * tool's own schema before its handler runs, then the results are composed and
 * the output validated against the package's output schema.
 */
export async function runOfflinePlan<I extends z.ZodType, O extends z.ZodType>(
  pkg: AgentPackageDefinition<I, O>,
  input: z.output<I>,
  ctx: ToolContext,
  onCall: (call: PlannedToolCall) => void = () => {},
): Promise<z.output<O>> {
  const results: Record<string, unknown> = {};
  for (let round = 0; ; round++) {
    const calls = offlineCalls(pkg as AgentPackageDefinition, input, round, results);
    if (!calls.length) break;
    for (const call of calls) {
      const tool = pkg.tools.find((t) => t.name === call.tool);
      if (!tool) throw new Error(`${pkg.slug}: the offline plan names an unknown tool '${call.tool}'`);
      const toolInput = tool.input.parse(call.input);
      const result = await tool.handler(toolInput as never, ctx);
      recordResult(results, tool.name, result);
      onCall({ tool: tool.name, input: toolInput, result });
    }
  }
  return pkg.output.parse(pkg.offline.compose(input, results));
}
