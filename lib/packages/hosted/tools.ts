import { z } from "zod";
import { defineTool, type AgentPackageDefinition, type AgentTool } from "@/lib/agents/define-package";
import { dataProcessor } from "@/lib/agents/data-processor/package";
import { deploymentAgent } from "@/lib/agents/deployment-agent/package";
import { incidentResponder } from "@/lib/agents/incident-responder/package";
import { searchDocumentsTool } from "@/lib/agents/knowledge/search-documents-tool";
import { reportGenerator } from "@/lib/agents/report-generator/package";
import { securityScanner } from "@/lib/agents/security-scanner/package";
import { workflowOrchestrator } from "@/lib/agents/workflow-orchestrator/package";
import type { HostedSection, HostedToolName } from "@/lib/packages/manifest";

// The platform tool library of hosted packages (issue 19 item 2): the built-in
// packages' own tools, as they are. Every tool acts through the run's
// ToolContext — the CALLER's workspace (search_documents searches the caller's
// documents, never the provider's) and a child run charged to the caller.

const builtInTool = (pkg: AgentPackageDefinition, name: string): AgentTool => {
  const tool = pkg.tools.find((t) => t.name === name);
  if (!tool) throw new Error(`${pkg.slug} has no tool '${name}'`);
  return tool;
};

const LIBRARY: Record<Exclude<HostedToolName, "run_agent">, AgentTool> = {
  search_documents: searchDocumentsTool,
  profile_csv: builtInTool(dataProcessor, "profile_csv"),
  transform_csv: builtInTool(dataProcessor, "transform_csv"),
  aggregate: builtInTool(reportGenerator, "aggregate"),
  chart_spec: builtInTool(reportGenerator, "chart_spec"),
  scan_secrets: builtInTool(securityScanner, "scan_secrets"),
  scan_code_patterns: builtInTool(securityScanner, "scan_code_patterns"),
  lint_manifest: builtInTool(deploymentAgent, "lint_manifest"),
  parse_logs: builtInTool(incidentResponder, "parse_logs"),
};

const orchestratorRunAgent = builtInTool(workflowOrchestrator, "run_agent");

/** The orchestrator's run_agent, limited to the packages the manifest names (`{ tool: "run_agent", agent }`). */
function runAgentTool(targets: string[]): AgentTool {
  return defineTool({
    name: "run_agent",
    description: `${orchestratorRunAgent.description} Allowed agents: ${targets.join(", ")}.`,
    input: z.object({ agent: z.enum(targets as [string, ...string[]]), input: z.record(z.string(), z.unknown()) }),
    handler: async (input, ctx) => {
      // Checked again at run time: the target slug may have published a remote version since.
      if (await ctx.db.agentPackage.findFirst({ where: { slug: input.agent, status: "PUBLISHED", kind: "REMOTE" }, select: { id: true } }))
        throw new Error(`'${input.agent}' is now a remote package: a hosted package may not send the caller's data to a provider's endpoint.`);
      return orchestratorRunAgent.handler(input as never, ctx);
    },
  });
}

/** A manifest's tools (each once, in the manifest's order); run_agent only with at least one target agent. */
export function hostedTools(tools: HostedSection["tools"]): AgentTool[] {
  const targets = [...new Set(tools.flatMap((t) => (t.tool === "run_agent" && t.agent ? [t.agent] : [])))];
  const names = [...new Set(tools.map((t) => t.tool))];
  return names.flatMap((name) => (name !== "run_agent" ? [LIBRARY[name]] : targets.length ? [runAgentTool(targets)] : []));
}
