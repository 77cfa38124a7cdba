import type { AgentPackageDefinition, OfflineCall } from "@/lib/agents/define-package";
import { compiledSchema } from "@/lib/packages/json-schema";
import { manifestSchema, type HostedSection, type Manifest } from "@/lib/packages/manifest";
import { RunFailure } from "@/lib/runs/model-output";
import { resolveTemplate, resultTools, TemplateProblem } from "./templates";
import { hostedTools } from "./tools";

// A hosted package version (issue 19 item 2) as the executor runs it: the same
// AgentPackageDefinition the built-ins declare in code, made from the version's
// manifest once per package id (versions are immutable) — validators compiled
// from its JSON Schemas, its instructions as the system prompt, its tools from
// the platform library, and the offline model's plan from its templates.

/** The AgentPackage columns a hosted definition is made from (the run path reads them with the package). */
export type HostedPackageRow = { id: string; slug: string; version: string; model: string; maxOutputTokens: number; baseFeeMicros: bigint; manifest: unknown };

/** The manifest's offline calls grouped into rounds: a call runs in the round after the last call whose result it uses. */
function offlineRounds(calls: NonNullable<HostedSection["offline"]>["calls"]) {
  const roundOf: number[] = [];
  calls.forEach((call, i) => {
    const uses = resultTools(call.input);
    const earlier = calls.slice(0, i).flatMap((c, j) => (uses.has(c.tool) ? [roundOf[j]! + 1] : []));
    roundOf.push(Math.max(0, ...earlier));
  });
  return calls.map((call, i) => ({ ...call, path: `hosted.offline.calls[${i}].input`, round: roundOf[i]! }));
}

/** A template filled in, or the run failed as the provider's fault (the manifest points at nothing). */
function resolved(template: unknown, from: { input: unknown; results: Record<string, unknown> }, path: string): unknown {
  try {
    return resolveTemplate(template, from, path);
  } catch (err) {
    if (err instanceof TemplateProblem) throw new RunFailure("manifest_error", err.message, { path: err.path }, "provider");
    throw err;
  }
}

function offlinePlan(manifest: Manifest): AgentPackageDefinition["offline"] {
  const offline = manifest.hosted?.offline;
  if (!offline) {
    const refuse = (): never => {
      throw new RunFailure(
        "offline_unavailable",
        "This server runs agents with Agora's offline model (no language model is configured), and this package's provider did not describe how to run it offline. Try again when a language model is available.",
        undefined,
        "platform",
      );
    };
    return { plan: refuse, compose: refuse };
  }
  const calls = offlineRounds(offline.calls);
  const callsOf = (round: number, input: unknown, results: Record<string, unknown>): OfflineCall[] =>
    calls.filter((c) => c.round === round).map((c) => ({ tool: c.tool, input: resolved(c.input, { input, results }, c.path) }));
  return {
    plan: (input) => callsOf(0, input, {}),
    next: (input, results, round) => callsOf(round, input, results),
    compose: (input, results) => resolved(offline.output, { input, results }, "hosted.offline.output"),
  };
}

function build(row: HostedPackageRow): AgentPackageDefinition {
  const manifest = manifestSchema.parse(row.manifest);
  const hosted = manifest.hosted;
  if (!hosted) throw new Error(`${row.slug}@${row.version} is not a hosted package`);
  return {
    slug: row.slug,
    version: row.version,
    name: manifest.name,
    summary: manifest.summary,
    description: manifest.description,
    category: manifest.category,
    capabilities: manifest.capabilities,
    model: row.model,
    maxOutputTokens: row.maxOutputTokens,
    baseFeeMicros: row.baseFeeMicros,
    input: compiledSchema(`${row.id}:input`, manifest.inputSchema),
    output: compiledSchema(`${row.id}:output`, manifest.outputSchema),
    exampleInput: manifest.exampleInput,
    systemPrompt: hosted.instructions,
    tools: hostedTools(hosted.tools),
    thirdParty: true,
    maxTurns: hosted.maxTurns,
    offline: offlinePlan(manifest),
  };
}

const definitions = new Map<string, AgentPackageDefinition>();

/** The definition of a hosted package version, made once per package id (kept for the latest 1,000). */
export function hostedDefinition(row: HostedPackageRow): AgentPackageDefinition {
  let def = definitions.get(row.id);
  if (!def) {
    def = build(row);
    if (definitions.size >= 1000) definitions.delete(definitions.keys().next().value!);
    definitions.set(row.id, def);
  }
  return def;
}

/** A hosted definition already made in this process, by package id (the executor's path: no query when known). */
export const knownHostedDefinition = (packageId: string) => definitions.get(packageId);
