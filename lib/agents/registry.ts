import type { AgentPackageDefinition } from "./define-package";
import { auditAgent } from "./audit-agent/package";
import { dataProcessor } from "./data-processor/package";
import { deploymentAgent } from "./deployment-agent/package";
import { reportGenerator } from "./report-generator/package";
import { securityScanner } from "./security-scanner/package";

// The built-in packages (SPEC §6); issue 4 adds the rest here.
export const builtInPackages: AgentPackageDefinition[] = [securityScanner, dataProcessor, reportGenerator, deploymentAgent, auditAgent] as AgentPackageDefinition[];

const bySlugVersion = new Map(builtInPackages.map((p) => [`${p.slug}@${p.version}`, p]));

/** The code for a package row (runs keep the version they were accepted with). */
export function packageDefinition(slug: string, version: string): AgentPackageDefinition | undefined {
  return bySlugVersion.get(`${slug}@${version}`);
}
