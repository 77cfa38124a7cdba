import type { KeyLimits, PackagePins, PrincipalWorkspace } from "@/lib/auth/principal";
import { concurrencyRefusal, limitRunStart } from "@/lib/rate-limits/limits";
import { assertPaymentInGoodStanding } from "@/lib/billing/past-due";
import { resolvePackage, type PublishedPackage } from "@/lib/agents/published-packages";
import { parseAgentRef } from "@/lib/packages/version-range";
import { toolSpecs, type AgentPackageDefinition } from "@/lib/agents/define-package";
import { definitionFor } from "@/lib/packages/package-definition";
import { randomBytes } from "node:crypto";
import { db } from "@/lib/db/client";
import { sql } from "@/lib/db/sql";
import { afterWrote, Statement } from "@/lib/db/statement";
import type { JobInsert } from "./run-jobs";
import { env } from "@/lib/env";
import { compiledSchema } from "@/lib/packages/json-schema";
import { maxEventsMicros, remoteVersion, type RemoteVersion } from "@/lib/remote/remote-versions";
import type { PackageKind, PackageStatus } from "@/lib/generated/prisma/enums";
import { deprecationOf, type Deprecation } from "@/lib/packages/deprecation";
import type { Prisma } from "@/lib/generated/prisma/client";
import { ApiError, validationError } from "@/lib/http/errors";
import { assertNoNul } from "@/lib/http/validate";
import { OFFLINE_MODEL } from "@/lib/llm/model-prices";
import { countRunHold, runHoldRefusal, runHoldSteps, type RunHold, type RunHoldResult } from "@/lib/ledger/run-hold";
import { insufficientCredits, runHold } from "./money/hold";
import type { MaxPriceInput, PriceTerms } from "./outcome";
import { providerTerms } from "@/lib/ledger/earnings";
import { shuttingDown } from "./shutdown";
import { jsonEqual } from "./json-equal";
import { inputHash, providerCapRefusal, providerCapStep, type CapKey } from "./provider-failure-cap";
import { systemPrompt } from "./prompt";
import { getRun, runDetailJson, runDetailSelect, type RunDetail } from "./run-queries";
import type { CreateRunBody } from "./schemas";

// SPEC §3 "Accept": validate, honour the idempotency key, create the run
// QUEUED with its first event, its credit hold and its job — all or nothing.
// A worker (this process or another) claims the job and executes the run.

/** What accepting (and quoting) a run needs of the engine that will execute it — the executor, without importing it. */
export type RunEngine = {
  readonly providerName: "anthropic" | "offline";
  readonly config: { readonly maxTurns: number };
  /** The run's job insert (one parameter, $1: the job as JSON), for the accept statement to run as its last step. */
  jobInsert(run: { id: string; tierCode: string; terms: PriceTerms }): Promise<JobInsert>;
  /** After the accept committed: this process's dispatcher claims the job now, or (role web) the workers are told of it. */
  wake(tierCode: string): void;
};

const overhead = new WeakMap<AgentPackageDefinition, number>();
/** The system prompt and tool definitions every request of a package carries, in characters (computed once). */
function promptOverheadChars(pkg: AgentPackageDefinition): number {
  let chars = overhead.get(pkg);
  if (chars === undefined) overhead.set(pkg, (chars = systemPrompt(pkg).length + JSON.stringify(toolSpecs(pkg)).length));
  return chars;
}

const runSelect = { id: true, agentSlug: true, input: true } as const;

async function replay(workspaceId: string, key: string, agent: string, input: unknown) {
  const existing = await db.run.findUnique({ where: { workspaceId_idempotencyKey: { workspaceId, idempotencyKey: key } }, select: runSelect });
  if (!existing) return undefined;
  if (existing.agentSlug !== agent || !jsonEqual(existing.input, input)) {
    throw new ApiError("idempotency_key_reused", "This idempotency key was already used for a different request.", { runId: existing.id });
  }
  return existing.id;
}

/** Who a run is for: a Principal, or for a child run the parent's caller. `keyPins`: an API key's version pins (ahead of the workspace's). */
export type RunCaller = {
  userId: string | null;
  apiKeyId: string | null;
  keyLimits?: KeyLimits | null;
  keyPins?: PackagePins | null;
  workspace: Pick<PrincipalWorkspace, "id" | "tierCode" | "suspended" | "priceMultiplierBps" | "limits" | "paymentMode" | "pastDueSince"> & { packagePins?: PackagePins };
};

export const MAX_RUN_DEPTH = 3;

/**
 * A run's id, made here because the accept statement writes the row (Prisma made it before): shaped like
 * the schema's other ids (Prisma's cuid — "c", the time in base 36, then random: lowercase letters and
 * digits, 25 characters), which run URLs are.
 */
const newRunId = () => `c${Date.now().toString(36)}${randomBytes(8).toString("hex")}`.slice(0, 25);

/**
 * The version a run request gets: `agent` as "slug" or "slug@range" (lib/packages/version-range.ts); without a
 * range of its own, the caller's API key's pin of the slug, else its workspace's; else the newest published.
 * 400 for a range that is not one, 404 when no version of the slug (or none in the range) can run.
 */
export async function resolveRunPackage(agent: string, caller?: Pick<RunCaller, "keyPins" | "workspace">): Promise<{ row: PublishedPackage; range: string | null }> {
  const ref = parseAgentRef(agent);
  if ("error" in ref) throw new ApiError("bad_request", ref.error, { field: "agent" });
  const range = ref.range ?? caller?.keyPins?.[ref.slug] ?? caller?.workspace.packagePins?.[ref.slug] ?? null;
  const row = await resolvePackage(ref.slug, range);
  if (row) return { row, range };
  if (range === null) throw new ApiError("not_found", `No published agent '${ref.slug}'.`);
  const pinned = ref.range === null ? ` (pinned ${ref.slug}@${range})` : "";
  throw new ApiError("not_found", `No runnable version of '${ref.slug}' matches ${range}${pinned}.`, { agent: ref.slug, range });
}

/**
 * The package version (lib/packages/version-range.ts: the request's range, the caller's pin, or the newest
 * published) and the validated input of a run request: 404 / 400 naming `input.…` paths. A built-in or hosted
 * package has its definition, `pkg` (code, or read from the manifest); a REMOTE one its `remote` version (input
 * checked against its JSON Schema). A yanked version (a pinned caller's) carries its `deprecation` notice.
 */
export async function resolveRunRequest(body: { agent: string; input: unknown }, caller?: Pick<RunCaller, "keyPins" | "workspace">): Promise<RunRequest> {
  const { row } = await resolveRunPackage(body.agent, caller);
  const pkg = definitionFor(row);
  const remote = !pkg && row.kind === "REMOTE" ? await remoteVersion(row.id) : null;
  if (!pkg && !remote) throw new ApiError("not_found", `No published agent '${row.slug}'.`);
  const parsed = pkg ? pkg.input.safeParse(body.input) : compiledSchema(`${row.id}:input`, remote!.inputSchema).safeParse(body.input);
  if (!parsed.success) throw validationError(parsed.error, "input");
  assertNoNul(parsed.data, "input");
  const input = parsed.data as Prisma.InputJsonValue;
  const deprecation = deprecationOf(row);
  return pkg ? { row, pkg, input, deprecation } : { row, remote: remote!, input, deprecation };
}

export type RunRequest = { row: PublishedPackage; input: Prisma.InputJsonValue; deprecation: Deprecation | null } & ({ pkg: AgentPackageDefinition; remote?: undefined } | { pkg?: undefined; remote: RemoteVersion });

/** The model a run of this package uses on this executor: the offline model when there is no API key; a remote package uses none of ours ("remote"). */
export const runModel = (executor: RunEngine, row: { model: string; kind: PackageKind }) => (executor.providerName === "offline" && row.kind !== "REMOTE" ? OFFLINE_MODEL : row.model);

/** What a run's credit hold is computed from (see lib/runs/money/price.ts). */
export function holdTerms(req: RunRequest, model: string, caller: RunCaller, executor: RunEngine): MaxPriceInput {
  // A remote package uses no model of ours: its most is the base fee and every billable event at its maxPerRun.
  if (req.remote) return { model, baseFeeMicros: req.row.baseFeeMicros, priceMultiplierBps: caller.workspace.priceMultiplierBps, promptTokens: 0, maxOutputTokens: 0, maxTurns: 0, billableEventsMicros: maxEventsMicros(req.remote.remote) };
  return {
    model,
    baseFeeMicros: req.row.baseFeeMicros,
    priceMultiplierBps: caller.workspace.priceMultiplierBps,
    // A cheap upper estimate (Claude averages ~3.5 characters a token): no tokenizer on the accept path.
    promptTokens: Math.ceil((JSON.stringify(req.input).length + promptOverheadChars(req.pkg)) / 3),
    maxOutputTokens: req.row.maxOutputTokens,
    maxTurns: Math.min(executor.config.maxTurns, env().AGORA_HOLD_TURNS, req.pkg.maxTurns ?? Infinity),
  };
}

type RunRow = Omit<Prisma.RunGetPayload<{ select: typeof runDetailSelect }>, "package">;
/** What the accept statement's steps did, as its refusal reports them: `underCap` false = the failure-farming cap, a null `live` = no slot; see RunHoldResult. */
type Refusal = Partial<RunHoldResult> & { live?: number | null; underCap?: boolean };

/** The run's columns as runDetailJson reads them; timestamps (stored as UTC) come back as instants. */
const runColumns = Object.keys(runDetailSelect)
  .filter((k) => k !== "package")
  .map((k) => (k.endsWith("At") ? `"${k}" AT TIME ZONE 'UTC' AS "${k}"` : `"${k}"`))
  .join(", ");

/**
 * Accepting a run is ONE data-modifying statement, sent on its own (its own
 * transaction): no round trip to this process happens while it holds the
 * workspace's rows. Its steps are chained so each runs only after the one
 * before it wrote, which keeps the lock order (the RunSlot, the budget
 * counters, the wallet): a top-level run takes a slot of the workspace's
 * concurrent runs (one conditional upsert, refused at the limit), the hold is
 * placed (lib/ledger/run-hold.ts), the run is written QUEUED with its first
 * event, and its job inserted (pg-boss's own statement, `job`). A third-party
 * package's run (`cap`) first passes the failure-farming cap
 * (lib/runs/provider-failure-cap.ts) and records its input's hash. When a step
 * refuses, the statement aborts itself (agora_refuse: SQLSTATE AGR01, what
 * each step did as JSON in its DETAIL), so nothing it wrote stays.
 */
function acceptStatement(
  caller: RunCaller,
  r: { id: string; row: { id: string; slug: string; version: string }; input: Prisma.InputJsonValue; deprecation: Deprecation | null; model: string; provider: string; key: string | undefined; parent?: { id: string }; depth: number },
  hold: RunHold | undefined,
  job: JobInsert | undefined,
  cap: CapKey | undefined,
) {
  const p = new Statement();
  const ctes: string[] = [];
  const columns: string[] = [];
  let prev: string | undefined;
  if (cap) {
    const step = providerCapStep(p, cap);
    ctes.push(step.cte);
    columns.push(step.column);
    prev = step.name;
  }
  if (!r.parent) {
    const ws = p.param(caller.workspace.id, "text");
    const limit = p.param(caller.workspace.limits.concurrentRuns, "int");
    ctes.push(`run_slot AS (INSERT INTO "RunSlot" ("workspaceId", "live") SELECT ${ws}, 1 WHERE ${limit} >= 1${prev ? ` AND ${afterWrote(prev)}` : ""}
      ON CONFLICT ("workspaceId") DO UPDATE SET "live" = "RunSlot"."live" + 1 WHERE "RunSlot"."live" < ${limit} RETURNING "live")`);
    columns.push(`(SELECT "live" FROM run_slot) AS "live"`);
    prev = "run_slot";
  }
  if (hold) {
    const steps = runHoldSteps(p, hold, prev);
    ctes.push(...steps.ctes);
    columns.push(...steps.columns);
    prev = steps.last;
  }
  const values = [r.id, caller.workspace.id, caller.userId, caller.apiKeyId, r.row.id, r.row.slug, r.row.version, r.provider, r.model, r.key ?? null, r.parent?.id ?? null].map((v) => p.param(v, "text"));
  const hashed = cap ? { column: `, "inputHash"`, value: `, ${p.param(cap.inputHash, "text")}` } : { column: "", value: "" };
  ctes.push(`run AS (INSERT INTO "Run" ("id", "workspaceId", "userId", "apiKeyId", "packageId", "agentSlug", "packageVersion", "provider", "model", "idempotencyKey", "parentRunId", "input", "depth"${hashed.column})
    SELECT ${values.join(", ")}, ${p.param(JSON.stringify(r.input), "jsonb")}, ${p.param(r.depth, "int")}${hashed.value} WHERE ${afterWrote(prev)} RETURNING *)`);
  const event = { status: "QUEUED", agent: r.row.slug, version: r.row.version, ...(r.deprecation && { deprecation: r.deprecation }) };
  ctes.push(`run_event AS (INSERT INTO "RunEvent" ("runId", "seq", "type", "data") SELECT "id", 1, 'status'::"RunEventType", ${p.param(JSON.stringify(event), "jsonb")} FROM run)`);
  // pg-boss's statement as it is, but for its job's priority: minus the workspace's runs live before this one, as the
  // slot step counted them (a scheduling hint: lib/runs/run-jobs.ts). No slot, no job; and when the run is refused,
  // the abort takes the job back with the rest.
  if (job) {
    const payload = `(SELECT jsonb_set(${p.param(job.values[0], "jsonb")}, '{0,priority}', to_jsonb(1 - "live"))::text FROM run_slot)`;
    ctes.push(`job AS (${job.text.replace(/\$1\b/g, () => payload)})`);
  }
  const refused = `"agora_refuse"((SELECT to_jsonb(steps) FROM (SELECT ${columns.join(", ") || "NULL AS none"}) steps))`;
  const text = `WITH ${ctes.join(",\n")}\nSELECT ${runColumns}, CASE WHEN run."id" IS NULL THEN ${refused} END AS "refused" FROM (VALUES (1)) one LEFT JOIN run ON true`;
  return { text, values: p.values };
}

/** The SQLSTATE of agora_refuse (prisma/migrations/…_statement_refusal): a step of the statement refused. */
const REFUSED = "AGR01";

/** What each step of a refused accept statement did (agora_refuse's DETAIL), with its money as bigint. */
function refusalOf(err: unknown): Refusal | undefined {
  if (!(err instanceof Error) || (err as { code?: string }).code !== REFUSED) return undefined;
  const steps = JSON.parse((err as { detail?: string }).detail ?? "{}") as Record<string, unknown>;
  for (const k of ["budgetCapMicros", "keyLimitMicros"]) if (typeof steps[k] === "number") steps[k] = BigInt(steps[k]);
  return steps as Refusal;
}

/** Why the accept statement did not write the run (the first step that refused). */
async function refusal(row: Refusal, caller: RunCaller, hold: RunHold | undefined, cap: CapKey | undefined): Promise<Error> {
  if (cap && row.underCap === false) return providerCapRefusal(cap);
  if (row.live === null) return concurrencyRefusal(caller.workspace.limits.concurrentRuns);
  if (hold && row.held === false) return runHoldRefusal(db, hold, row as RunHoldResult, insufficientCredits(hold.amountMicros));
  return new Error("The accept statement wrote no run, and no step says it refused.");
}

export async function acceptRun(
  principal: RunCaller,
  body: CreateRunBody,
  opts: {
    headerKey?: string;
    executor: RunEngine;
    /** A child run (Workflow Orchestrator): linked to its parent, executed by the caller rather than queued. */
    parent?: { id: string; depth: number };
    /** An exchange contract's delivery run (lib/exchange/delivery.ts): the contract's price is the only charge, so no hold, no price, no split. */
    contract?: boolean;
  },
): Promise<{ run: RunDetail; created: boolean; terms: PriceTerms; deprecation: Deprecation | null }> {
  const workspaceId = principal.workspace.id;
  if (principal.workspace.suspended) throw new ApiError("workspace_suspended", "This workspace is suspended; runs are disabled.");
  if (shuttingDown() && !opts.parent) throw new ApiError("shutting_down", "This server is shutting down; retry in a moment (another instance will take the run).");
  assertPaymentInGoodStanding(principal.workspace);
  if (opts.headerKey && body.idempotencyKey && opts.headerKey !== body.idempotencyKey) {
    throw new ApiError("bad_request", "The Idempotency-Key header and the idempotencyKey field differ.");
  }
  const key = body.idempotencyKey ?? opts.headerKey;

  const request = await resolveRunRequest(body, principal);
  const { row, input } = request;

  const terms: PriceTerms = opts.contract ? { baseFeeMicros: 0n, priceMultiplierBps: 0 } : { baseFeeMicros: row.baseFeeMicros, priceMultiplierBps: principal.workspace.priceMultiplierBps };
  // A third-party package's provider (cached; built-ins have none): its runs' settlement splits its share off.
  if (!opts.contract && row.kind !== "BUILTIN" && row.providerId) terms.provider = await providerTerms(db, row.providerId);
  if (key) {
    const existing = await replay(workspaceId, key, row.slug, input);
    if (existing) return { run: await getRun(workspaceId, existing), created: false, terms, deprecation: request.deprecation };
  }

  const depth = opts.parent ? opts.parent.depth + 1 : 0;
  if (depth > MAX_RUN_DEPTH) throw new ApiError("bad_request", `Agents can call agents at most ${MAX_RUN_DEPTH} levels deep.`);
  const model = runModel(opts.executor, row);
  const id = newRunId();
  // Rate limits (SPEC §5) bind runs a principal starts; a child run is part of its parent's.
  const counted = opts.parent ? undefined : await limitRunStart(principal);
  try {
    const hold = opts.contract ? undefined : await runHold({ id, workspaceId, apiKeyId: principal.apiKeyId, agentSlug: row.slug, packageId: row.id, paymentMode: principal.workspace.paymentMode, ...holdTerms(request, model, principal, opts.executor) });
    const job = counted && (await opts.executor.jobInsert({ id, tierCode: principal.workspace.tierCode, terms }));
    const cap = row.kind !== "BUILTIN" ? { workspaceId, agentSlug: row.slug, inputHash: inputHash(input) } : undefined;
    const accept = acceptStatement(principal, { id, row, input, deprecation: request.deprecation, model, provider: opts.executor.providerName, key, parent: opts.parent, depth }, hold, job, cap);
    const [run] = await sql.query<RunRow>(accept.text, accept.values).catch(async (err: unknown) => {
      const refused = refusalOf(err);
      throw refused ? await refusal(refused, principal, hold, cap) : err;
    });
    if (hold) countRunHold();
    if (!opts.parent) opts.executor.wake(principal.workspace.tierCode);
    return { run: runDetailJson({ ...run!, package: { name: row.name, status: row.status as PackageStatus, yankReason: row.yankReason } }), created: true, terms, deprecation: request.deprecation };
  } catch (err) {
    await counted?.refund(); // a refused run does not count toward runs/hour
    // A concurrent request with the same key won the insert (or took the last slot first): answer with its run.
    if (key) {
      const existing = await replay(workspaceId, key, row.slug, input);
      if (existing) return { run: await getRun(workspaceId, existing), created: false, terms, deprecation: request.deprecation };
    }
    throw err;
  }
}
