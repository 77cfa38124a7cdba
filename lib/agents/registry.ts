import type { AgentPackageDefinition } from "./define-package";
import { auditAgent } from "./audit-agent/package";
import { dataProcessor } from "./data-processor/package";
import { deploymentAgent } from "./deployment-agent/package";
import { escalationManager } from "./escalation-manager/package";
import { incidentResponder } from "./incident-responder/package";
import { knowledgeBase } from "./knowledge-base/package";
import { reportGenerator } from "./report-generator/package";
import { ticketResolver } from "./ticket-resolver/package";
import { workflowOrchestrator } from "./workflow-orchestrator/package";
import { securityScanner } from "./security-scanner/package";

// The ten built-in packages (SPEC §6).
export const builtInPackages: AgentPackageDefinition[] = [
  securityScanner,
  dataProcessor,
  reportGenerator,
  knowledgeBase,
  ticketResolver,
  incidentResponder,
  escalationManager,
  deploymentAgent,
  auditAgent,
  workflowOrchestrator,
] as AgentPackageDefinition[];

const bySlugVersion = new Map(builtInPackages.map((p) => [`${p.slug}@${p.version}`, p]));

/** The code for a package row (runs keep the version they were accepted with). */
export function packageDefinition(slug: string, version: string): AgentPackageDefinition | undefined {
  return bySlugVersion.get(`${slug}@${version}`);
}
