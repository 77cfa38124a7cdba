import { packageJsonSchemas, toolSpecs, type AgentPackageDefinition } from "@/lib/agents/define-package";
import type { ToolSpec } from "@/lib/llm/provider";

const systems = new WeakMap<AgentPackageDefinition, string>();

/** The package's system prompt plus the output contract the executor validates. */
export function systemPrompt(pkg: AgentPackageDefinition): string {
  let system = systems.get(pkg);
  if (!system) {
    system = [
      pkg.systemPrompt,
      "When you are done, reply with only a JSON object (no prose, no code fence) matching this JSON Schema:",
      JSON.stringify(packageJsonSchemas(pkg).output),
    ].join("\n\n");
    systems.set(pkg, system);
  }
  return system;
}

export function userMessage(input: unknown): string {
  return `Input:\n${JSON.stringify(input, null, 2)}`;
}

const specs = new WeakMap<AgentPackageDefinition, ToolSpec[]>();

/** The package's tools as the model sees them (JSON Schema built once per package). */
export function modelTools(pkg: AgentPackageDefinition): ToolSpec[] {
  let tools = specs.get(pkg);
  if (!tools) specs.set(pkg, (tools = toolSpecs(pkg)));
  return tools;
}
