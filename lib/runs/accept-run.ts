import type { KeyLimits, PrincipalWorkspace } from "@/lib/auth/principal";
import { activeRuns, assertConcurrency, limitRunStart } from "@/lib/rate-limits/limits";
import { assertPaymentInGoodStanding } from "@/lib/billing/past-due";
import { latestPublishedPackage } from "@/lib/agents/published-packages";
import { toolSpecs, type AgentPackageDefinition } from "@/lib/agents/define-package";
import { packageDefinition } from "@/lib/agents/registry";
import { db, type DbTx } from "@/lib/db/client";
import { env } from "@/lib/env";
import type { Prisma } from "@/lib/generated/prisma/client";
import { ApiError, validationError } from "@/lib/http/errors";
import { assertNoNul } from "@/lib/http/validate";
import { OFFLINE_MODEL } from "@/lib/llm/model-prices";
import { holdForRun } from "./money/hold";
import type { MaxPriceInput, PriceTerms } from "./outcome";
import { shuttingDown } from "./shutdown";
import { jsonEqual } from "./json-equal";
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
  /** Enqueues the run's job in the accept transaction; `live` = the workspace's runs queued or running before it. */
  enqueue(tx: DbTx, run: { id: string; tierCode: string; live: number; terms: PriceTerms }): Promise<void>;
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

/** Who a run is for: a Principal, or for a child run the parent's caller. */
export type RunCaller = { userId: string | null; apiKeyId: string | null; keyLimits?: KeyLimits | null; workspace: Pick<PrincipalWorkspace, "id" | "tierCode" | "suspended" | "priceMultiplierBps" | "limits" | "paymentMode" | "pastDueSince"> };

export const MAX_RUN_DEPTH = 3;

/** The package (latest published version) and the validated input of a run request: 404 / 400 naming `input.…` paths. */
export async function resolveRunRequest(body: { agent: string; input: unknown }) {
  const row = await latestPublishedPackage(body.agent);
  const pkg = row && packageDefinition(row.slug, row.version);
  if (!row || !pkg) throw new ApiError("not_found", `No published agent '${body.agent}'.`);
  const parsed = pkg.input.safeParse(body.input);
  if (!parsed.success) throw validationError(parsed.error, "input");
  assertNoNul(parsed.data, "input");
  return { row, pkg, input: parsed.data as Prisma.InputJsonValue };
}

/** The model a run of this package uses on this executor: the offline model when there is no API key. */
export const runModel = (executor: RunEngine, row: { model: string }) => (executor.providerName === "offline" ? OFFLINE_MODEL : row.model);

/** What a run's credit hold is computed from (see lib/runs/money/price.ts). */
export function holdTerms(req: Awaited<ReturnType<typeof resolveRunRequest>>, model: string, caller: RunCaller, executor: RunEngine): MaxPriceInput {
  return {
    model,
    baseFeeMicros: req.row.baseFeeMicros,
    priceMultiplierBps: caller.workspace.priceMultiplierBps,
    // A cheap upper estimate (Claude averages ~3.5 characters a token): no tokenizer on the accept path.
    promptTokens: Math.ceil((JSON.stringify(req.input).length + promptOverheadChars(req.pkg)) / 3),
    maxOutputTokens: req.row.maxOutputTokens,
    maxTurns: Math.min(executor.config.maxTurns, env().AGORA_HOLD_TURNS),
  };
}

export async function acceptRun(
  principal: RunCaller,
  body: CreateRunBody,
  opts: {
    headerKey?: string;
    executor: RunEngine;
    /** A child run (Workflow Orchestrator): linked to its parent, executed by the caller rather than queued. */
    parent?: { id: string; depth: number };
  },
): Promise<{ run: RunDetail; created: boolean; terms: PriceTerms }> {
  const workspaceId = principal.workspace.id;
  if (principal.workspace.suspended) throw new ApiError("workspace_suspended", "This workspace is suspended; runs are disabled.");
  if (shuttingDown() && !opts.parent) throw new ApiError("shutting_down", "This server is shutting down; retry in a moment (another instance will take the run).");
  assertPaymentInGoodStanding(principal.workspace);
  if (opts.headerKey && body.idempotencyKey && opts.headerKey !== body.idempotencyKey) {
    throw new ApiError("bad_request", "The Idempotency-Key header and the idempotencyKey field differ.");
  }
  const key = body.idempotencyKey ?? opts.headerKey;

  const { row, pkg, input } = await resolveRunRequest(body);

  const terms: PriceTerms = { baseFeeMicros: row.baseFeeMicros, priceMultiplierBps: principal.workspace.priceMultiplierBps };
  if (key) {
    const existing = await replay(workspaceId, key, row.slug, input);
    if (existing) return { run: await getRun(workspaceId, existing), created: false, terms };
  }

  const depth = opts.parent ? opts.parent.depth + 1 : 0;
  if (depth > MAX_RUN_DEPTH) throw new ApiError("bad_request", `Agents can call agents at most ${MAX_RUN_DEPTH} levels deep.`);
  const provider = opts.executor.providerName;
  const model = runModel(opts.executor, row);
  // Rate limits (SPEC §5) bind runs a principal starts; a child run is part of its parent's.
  const counted = opts.parent ? undefined : await limitRunStart(principal);
  try {
    const run = await db.$transaction(async (tx) => {
      // The workspace's live runs, read without its lock: the job's priority, a scheduling hint (lib/runs/run-jobs.ts).
      const live = opts.parent ? 0 : await activeRuns(tx, workspaceId);
      const run = await tx.run.create({
        data: {
          workspaceId,
          userId: principal.userId,
          apiKeyId: principal.apiKeyId,
          packageId: row.id,
          agentSlug: row.slug,
          packageVersion: row.version,
          input,
          provider,
          model,
          idempotencyKey: key ?? null,
          parentRunId: opts.parent?.id ?? null,
          depth,
        },
        select: runDetailSelect,
      });
      await tx.runEvent.create({ data: { runId: run.id, seq: 1, type: "status", data: { status: "QUEUED", agent: row.slug, version: row.version } } });
      if (!opts.parent) {
        await opts.executor.enqueue(tx, { id: run.id, tierCode: principal.workspace.tierCode, live, terms });
        // The limit, exactly, under the workspace's run lock — last, so that only the count and the hold wait inside it.
        await assertConcurrency(tx, principal);
      }
      await holdForRun(tx, {
        id: run.id,
        workspaceId,
        apiKeyId: principal.apiKeyId,
        agentSlug: row.slug,
        packageId: row.id,
        paymentMode: principal.workspace.paymentMode,
        ...holdTerms({ row, pkg, input }, model, principal, opts.executor),
      });
      return run;
    });
    if (!opts.parent) opts.executor.wake(principal.workspace.tierCode);
    return { run: runDetailJson(run), created: true, terms };
  } catch (err) {
    await counted?.refund(); // a refused run does not count toward runs/hour
    // A concurrent request with the same key won the insert (or, holding the run lock, took the last slot): answer with its run.
    if (key) {
      const existing = await replay(workspaceId, key, row.slug, input);
      if (existing) return { run: await getRun(workspaceId, existing), created: false, terms };
    }
    throw err;
  }
}
