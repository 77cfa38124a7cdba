import { z } from "zod";

// A third-party package version's manifest (issue 19, SPEC §13): what a provider
// writes to publish a HOSTED package (run by Agora's executor with platform
// tools) or a REMOTE one (the provider's own agent, called over A2A). Stored on
// the version's AgentPackage row (`manifest`) as written; the columns the
// catalog and the run path read (name, schemas, model, fee…) are copied from it.
// Errors name the JSON path (`hosted.tools[2].tool`), which the API returns as 400 details.

/** The platform tool library a hosted package chooses from (lib/packages/hosted/tools.ts implements each). */
export const HOSTED_TOOLS = [
  "search_documents", // knowledge search over the CALLER's documents
  "profile_csv",
  "transform_csv",
  "aggregate",
  "chart_spec",
  "scan_secrets",
  "scan_code_patterns",
  "lint_manifest",
  "parse_logs",
  "run_agent", // call another published package as a child run (the caller pays, as for the orchestrator)
] as const;
export type HostedToolName = (typeof HOSTED_TOOLS)[number];

const slug = z
  .string()
  .min(3)
  .max(60)
  .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, "lowercase letters, digits and single hyphens");
/** Semver 2.0 (major.minor.patch, optional pre-release; no build metadata). */
export const semver = z
  .string()
  .max(64)
  .regex(/^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*)?$/, "a semantic version such as 1.0.0");
const micros = z.number().int().min(0);
/** A JSON Schema object (compiled and checked by the validation step, not here). */
const jsonSchema = z.record(z.string(), z.unknown());

/**
 * A value taken from the run's input or an earlier tool result when the offline
 * model plans a hosted package's tools: `{"$input": "/csv"}` is the input's
 * `csv` (a JSON Pointer, RFC 6901), `{"$result": "/profile_csv/columns"}` a
 * result's part; any other JSON is literal.
 */
export type Template = unknown;

const offlineCall = z.object({ tool: z.enum(HOSTED_TOOLS), input: z.unknown() as z.ZodType<Template> });

const billableEvent = z.object({
  name: z.string().regex(/^[a-z][a-z0-9_]{1,39}$/, "lowercase letters, digits and underscores, starting with a letter"),
  description: z.string().min(1).max(200),
  priceMicros: micros.min(1),
  maxPerRun: z.number().int().min(1).max(1000), // the run's hold covers this many of each
});

export const hostedSection = z.object({
  instructions: z.string().min(1).max(20_000), // the system prompt
  model: z.string().min(1), // one of the platform's models (ModelPrice)
  maxOutputTokens: z.number().int().min(1).max(8192),
  maxTurns: z.number().int().min(1).max(10),
  tools: z.array(z.object({ tool: z.enum(HOSTED_TOOLS), agent: slug.optional() })).max(10), // `agent`: run_agent's only allowed target
  /** How the offline model runs this package: tool calls planned from the input, then the output composed from their results. */
  offline: z.object({ calls: z.array(offlineCall).max(10), output: z.unknown() as z.ZodType<Template> }).optional(),
});

export const remoteSection = z.object({
  endpointUrl: z.url().max(2048), // the agent's base URL; its card is read from <base>/.well-known/agent-card.json
  skillId: z.string().min(1).max(100).optional(),
  timeoutSeconds: z.number().int().min(5).max(900).default(120),
  billableEvents: z.array(billableEvent).max(20).default([]),
});

/** A capability tag as the exchange matches them (`summarize`, `csv-cleaning`): work and bid policies alike, lower-cased. */
export const capabilityTag = z.string().trim().toLowerCase().min(1).max(40).regex(/^[a-z0-9][a-z0-9 _-]*$/, "letters, digits, spaces, hyphens and underscores");

/**
 * The work exchange's bid policy (issue 21 item 2): the package bids by itself on
 * OPEN work tagged with one of `capabilities`, at baseMicros + perInputKbMicros per
 * started KB of the work's JSON input, capped at maxMicros, promising
 * promisedMinutes; never above the work's budget (lib/exchange/auto-bids.ts).
 */
export const bidPolicySchema = z
  .object({
    capabilities: z.array(capabilityTag).min(1).max(20),
    price: z.object({ baseMicros: micros.min(1), perInputKbMicros: micros.optional(), maxMicros: micros.min(1).optional() }).strict(),
    promisedMinutes: z.number().int().min(1).max(60 * 24 * 30),
    note: z.string().max(500).optional(),
  })
  .strict();
export type BidPolicy = z.output<typeof bidPolicySchema>;

export const manifestSchema = z
  .object({
    kind: z.enum(["hosted", "remote"]),
    slug,
    version: semver,
    name: z.string().min(2).max(80),
    summary: z.string().min(10).max(200),
    description: z.string().max(20_000).default(""), // markdown
    category: z.string().min(2).max(40),
    capabilities: z.array(z.string().min(1).max(40)).min(1).max(20),
    inputSchema: jsonSchema,
    outputSchema: jsonSchema,
    exampleInput: z.unknown(),
    baseFeeMicros: micros,
    hosted: hostedSection.optional(),
    remote: remoteSection.optional(),
    bidPolicy: bidPolicySchema.optional(), // absent: the package never bids by itself
  })
  .superRefine((m, ctx) => {
    if (m.kind === "hosted" && !m.hosted) ctx.addIssue({ code: "custom", path: ["hosted"], message: "a hosted package needs its hosted section" });
    if (m.kind === "remote" && !m.remote) ctx.addIssue({ code: "custom", path: ["remote"], message: "a remote package needs its remote section" });
    if (m.kind === "hosted" && m.remote) ctx.addIssue({ code: "custom", path: ["remote"], message: "only a remote package has a remote section" });
    if (m.kind === "remote" && m.hosted) ctx.addIssue({ code: "custom", path: ["hosted"], message: "only a hosted package has a hosted section" });
  });

export type Manifest = z.output<typeof manifestSchema>;
export type HostedSection = z.output<typeof hostedSection>;
export type RemoteSection = z.output<typeof remoteSection>;
export type BillableEvent = z.output<typeof billableEvent>;
