import { z } from "zod";
import { definePackage, defineTool } from "../define-package";
import { environments, lintManifest, lintManifestInputSchema, severities, type LintResult } from "./lint-manifest";

const findingSchema = z.object({
  severity: z.enum(severities),
  rule: z.string(),
  object: z.string(),
  path: z.string(),
  line: z.number().int().positive(),
  message: z.string(),
  fix: z.string(),
});

const outputSchema = z.object({
  verdict: z.enum(["go", "no-go"]),
  summary: z.string(),
  findings: z.array(findingSchema),
  rolloutPlan: z.array(z.string()).min(1),
});

/** No-go on any critical finding, and on high ones in production. */
export function verdict(result: LintResult, environment: (typeof environments)[number]): "go" | "no-go" {
  return result.findings.some((f) => f.severity === "critical" || (f.severity === "high" && environment === "production")) ? "no-go" : "go";
}

export const deploymentAgent = definePackage({
  slug: "deployment-agent",
  name: "Deployment Agent",
  summary: "Reviews a Kubernetes manifest or Compose file before it ships: a go / no-go verdict, findings with paths and lines, and a rollout plan.",
  description: [
    "Paste Kubernetes YAML (several documents are fine) or a Docker Compose file and name the target environment.",
    "",
    "`lint_manifest` parses the YAML and checks for mutable image tags (`:latest` or none), missing memory/CPU limits,",
    "missing readiness and liveness probes or healthchecks, privileged containers, host paths, literal secrets in environment",
    "variables, and single replicas in production. Every finding names the object, the path and the line.",
    "",
    "Critical findings — and high ones in production — make the verdict **no-go**.",
  ].join("\n"),
  category: "devops",
  capabilities: ["kubernetes", "docker compose", "deployment review", "yaml"],
  version: "1.0.0",
  model: "claude-sonnet-5-5",
  maxOutputTokens: 4_096,
  baseFeeMicros: 2_000n,
  input: lintManifestInputSchema,
  output: outputSchema,
  exampleInput: {
    environment: "production",
    manifest: [
      "apiVersion: apps/v1",
      "kind: Deployment",
      "metadata:",
      "  name: checkout",
      "spec:",
      "  replicas: 3",
      "  template:",
      "    spec:",
      "      containers:",
      "        - name: checkout",
      "          image: ghcr.io/acme/checkout:latest",
      "          env:",
      "            - name: STRIPE_API_KEY",
      "              value: sk_live_do_not_commit",
      "          resources:",
      "            limits: { cpu: 500m }",
      "          readinessProbe: { httpGet: { path: /healthz, port: 8080 } }",
      "",
    ].join("\n"),
  },
  systemPrompt:
    "You review deployments. Call lint_manifest on the manifest and environment, then give a go / no-go verdict (no-go on any critical finding, and on high findings in production), every finding the tool returned, and a short, ordered rollout plan with a rollback step.",
  tools: [defineTool({ name: "lint_manifest", description: "Parse Kubernetes YAML or a Compose file and check images, limits, probes, privileges, host paths and secrets.", input: lintManifestInputSchema, handler: lintManifest })],
  offline: {
    plan: (input) => [{ tool: "lint_manifest", input }],
    compose: (input, results) => {
      const result = results.lint_manifest as LintResult;
      const decision = verdict(result, input.environment);
      const counts = severities.map((s) => `${result.findings.filter((f) => f.severity === s).length} ${s}`).join(", ");
      const rollout =
        result.format === "kubernetes"
          ? result.workloads.flatMap((w) => [`Apply ${w.kind}/${w.name} (${w.images.join(", ") || "no image"}) to ${input.environment}.`, `Watch \`kubectl rollout status ${w.kind.toLowerCase()}/${w.name}\` until every replica is ready.`])
          : result.workloads.map((w) => `Pull and restart service ${w.name} (${w.images.join(", ") || "built locally"}) with \`docker compose up -d ${w.name}\`.`);
      return {
        verdict: decision,
        summary: `${decision === "go" ? "Go" : "No-go"} for ${input.environment}: ${result.workloads.length} workload(s) in ${result.documents} document(s); findings: ${counts}.`,
        findings: result.findings,
        rolloutPlan: [
          ...(decision === "no-go" ? ["Fix the critical and high findings below, then run this review again."] : []),
          ...rollout,
          result.format === "kubernetes" ? "If error rates rise, roll back with `kubectl rollout undo` for each workload." : "If errors rise, redeploy the previous image tags.",
        ],
      };
    },
  },
});
