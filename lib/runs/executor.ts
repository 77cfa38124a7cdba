import type { AgentPackageDefinition, ChildRunResult, ToolContext } from "@/lib/agents/define-package";
import type { Db } from "@/lib/db/client";
import { sql } from "@/lib/db/sql";
import type { Prisma } from "@/lib/generated/prisma/client";
import { AnthropicProvider } from "@/lib/llm/anthropic-provider";
import { CircuitBreaker } from "@/lib/llm/circuit-breaker";
import { OfflineProvider } from "@/lib/llm/offline-provider";
import { emptyUsage, ProviderError, type ChatMessage, type ContentBlock, type ModelProvider, type Usage } from "@/lib/llm/provider";
import { withRetries, type RetryPolicy } from "@/lib/llm/retry-policy";
import { log } from "@/lib/observability/log";
import { metrics } from "@/lib/observability/metrics";
import { withSpan } from "@/lib/observability/tracing";
import { principalWorkspace } from "@/lib/auth/principal";
import { ApiError } from "@/lib/http/errors";
import { runDefinition } from "@/lib/packages/package-definition";
import { remoteVersion, type RemoteVersion } from "@/lib/remote/remote-versions";
import { BillableMeter, cancelRemoteTask, runRemote } from "@/lib/remote/run-remote";
import { acceptRun } from "./accept-run";
import { failureCause } from "./failure-cause";
import { finishRun, type RunEnding } from "./finish-run";
import { parseModelOutput, RunFailure } from "./model-output";
import type { PriceTerms } from "./outcome";
import { modelTools, systemPrompt, userMessage } from "./prompt";
import { insertEvents, RunEventLog } from "./run-event-log";
import { resumePoint, toolResultBlock, type ResumePoint } from "./resume";
import { runQueueClass, type JobInsert, type RunJobs } from "./run-jobs";

// Executes accepted runs in this process, detached from the HTTP request that
// created them (SPEC §3 "Execute"): claim QUEUED → RUNNING, the tool-use loop
// with a turn limit, one retry policy, the provider's circuit breaker, a
// wall-clock timeout, cancellation, output validation, then finishRun. A lease
// on the row, renewed while the run executes, lets recovery tell a live run
// from one orphaned by a dead process.

export type ExecutorConfig = {
  db: Db;
  /** null = no API key: runs use the offline model. */
  anthropic: AnthropicProvider | null;
  breaker: CircuitBreaker;
  retryPolicy: RetryPolicy;
  timeoutMs: number;
  leaseMs: number;
  maxTurns: number;
  /** The run queues this engine sends to (started on first use). */
  jobs: () => Promise<RunJobs>;
};

/** Why a run was stopped from outside its loop. */
class RunStop extends Error {
  constructor(readonly kind: "canceled" | "timeout" | "interrupted") {
    super(kind === "canceled" ? "The run was canceled." : "The run exceeded its time limit.");
  }
}

function addUsage(total: Usage, more: Usage | undefined): Usage | undefined {
  if (!more) return more;
  total.inputTokens += more.inputTokens;
  total.outputTokens += more.outputTokens;
  total.cacheWriteTokens += more.cacheWriteTokens;
  total.cacheReadTokens += more.cacheReadTokens;
  return more;
}

async function runTool(pkg: AgentPackageDefinition, use: Extract<ContentBlock, { type: "tool_use" }>, ctx: ToolContext) {
  const tool = pkg.tools.find((t) => t.name === use.name);
  if (!tool) return { ok: false as const, error: `Unknown tool '${use.name}'.` };
  const input = tool.input.safeParse(use.input);
  if (!input.success) return { ok: false as const, error: `Invalid input for ${use.name}: ${input.error.issues.map((i) => `${i.path.join(".") || "(root)"}: ${i.message}`).join("; ")}` };
  try {
    return { ok: true as const, result: await tool.handler(input.data as never, ctx) };
  } catch (err) {
    if (ctx.signal.aborted) throw ctx.signal.reason;
    return { ok: false as const, error: err instanceof Error ? err.message : String(err) };
  }
}

/** The run as its executor needs it, returned by the claiming UPDATE. */
type ClaimedRun = {
  id: string;
  workspaceId: string;
  userId: string | null;
  apiKeyId: string | null;
  depth: number;
  agentSlug: string;
  packageId: string;
  packageVersion: string;
  model: string;
  provider: string;
  input: unknown;
  cancelRequestedAt: Date | null;
  createdAt: Date;
  startedAt: Date | null;
};

const utc = (column: string) => `"${column}" AT TIME ZONE 'UTC' AS "${column}"`; // timestamp columns hold UTC
const claimed = `"id", "workspaceId", "userId", "apiKeyId", "depth", "agentSlug", "packageId", "packageVersion", "model", "provider", "input",
  ${utc("cancelRequestedAt")}, ${utc("createdAt")}, ${utc("startedAt")}`;

const MAX_CHILDREN = 10; // child runs one run may start

export class RunExecutor {
  private readonly active = new Map<string, AbortController>();
  private readonly terms = new Map<string, PriceTerms>();
  private leaseTimer: NodeJS.Timeout | undefined;
  private idleWaiters: (() => void)[] = [];

  constructor(readonly config: ExecutorConfig) {}

  get providerName(): "anthropic" | "offline" {
    return this.config.anthropic ? "anthropic" : "offline";
  }

  /** An accepted run's job insert, for the accept statement to run as one of its steps (lib/runs/run-jobs.ts). */
  async jobInsert(run: { id: string; tierCode: string; terms: PriceTerms }): Promise<JobInsert> {
    return (await this.config.jobs()).sendStatement(run);
  }

  /** After an accept committed: the job is claimed now, here or by a worker told of it (RunJobs.wake). */
  wake(tierCode: string): void {
    this.config.jobs().then(
      (jobs) => jobs.wake(runQueueClass(tierCode)),
      () => undefined, // no engine: the run waits for a worker's poll
    );
  }

  /** Aborts the run if this process executes it. */
  cancelLocal(runId: string): boolean {
    const controller = this.active.get(runId);
    if (!controller) return false;
    controller.abort(new RunStop("canceled"));
    return true;
  }

  /** Resolves when this process executes no run. */
  idle(): Promise<void> {
    if (this.active.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /**
   * A worker's part of graceful shutdown (the caller has stopped claiming):
   * runs under way get `graceMs` to finish; the rest are handed back — their
   * events so far written, their jobs returned to the queue — and another
   * worker (or this one, restarted) resumes them.
   */
  async drain(graceMs: number): Promise<{ finished: number; handedBack: number }> {
    const running = this.active.size;
    const done = await Promise.race([this.idle().then(() => true), new Promise<false>((r) => setTimeout(() => r(false), graceMs).unref())]);
    const handedBack = done ? 0 : this.active.size;
    if (!done) {
      for (const controller of this.active.values()) controller.abort(new RunStop("interrupted"));
      await this.idle();
    }
    return { finished: running - handedBack, handedBack };
  }

  /** The dead-letter queue's part: a run whose job ran out of resumes ends FAILED `interrupted`, uncharged. */
  async interrupt(runId: string): Promise<void> {
    const run = await this.config.db.run.findUnique({ where: { id: runId }, select: { id: true, workspaceId: true, apiKeyId: true, agentSlug: true, packageId: true, model: true } });
    if (run) await finishRun(this.config.db, run, { status: "FAILED", error: { code: "interrupted", message: "The run was interrupted more often than it could be resumed.", cause: "platform" }, usage: emptyUsage() }, { from: ["QUEUED", "RUNNING"] });
  }

  private scheduleLeaseRenewal() {
    if (this.leaseTimer || this.active.size === 0) return;
    this.leaseTimer = setInterval(() => void this.renewLeases(), Math.floor(this.config.leaseMs / 3));
    this.leaseTimer.unref();
  }

  /** Extends the leases of every run this process holds; picks up cancels whose notification was missed. */
  private async renewLeases() {
    const ids = [...this.active.keys()];
    if (!ids.length) {
      clearInterval(this.leaseTimer);
      this.leaseTimer = undefined;
      return;
    }
    try {
      const rows = await this.config.db.run.updateManyAndReturn({
        where: { id: { in: ids }, status: { in: ["QUEUED", "RUNNING"] } },
        data: { leaseExpiresAt: new Date(Date.now() + this.config.leaseMs) },
        select: { id: true, cancelRequestedAt: true },
      });
      for (const row of rows) if (row.cancelRequestedAt) this.cancelLocal(row.id);
    } catch (err) {
      log.warn("run lease renewal failed", { err: (err as Error).message });
    }
  }

  /**
   * Executes one accepted run to its end, in a `run` span (its model and tool
   * calls, settlement and ledger writes nest under it). `attempt` is the job's
   * retry count: above 0, a run left RUNNING by an earlier attempt is resumed.
   * Never throws: every failure becomes the run's FAILED status. "retry": the
   * run was handed back at shutdown, or could not be ended — its job goes back
   * to the queue and the next attempt resumes it.
   */
  execute(runId: string, attempt = 0, terms?: PriceTerms): Promise<"ended" | "retry"> {
    if (terms) this.terms.set(runId, terms); // known at accept: settling needs no query for them
    return withSpan("run", { "agora.run_id": runId }, () => this.executeRun(runId, attempt));
  }

  /** QUEUED → RUNNING for attempt 0; a later attempt also takes a run an earlier attempt left RUNNING. */
  private async claim(runId: string, attempt: number): Promise<{ run: ClaimedRun; resumed: boolean } | undefined> {
    const lease = new Date(Date.now() + this.config.leaseMs).toISOString();
    const [fresh] = await sql.query<ClaimedRun>(
      `UPDATE "Run" SET "status" = 'RUNNING', "startedAt" = (now() AT TIME ZONE 'UTC'), "attempt" = $2, "leaseExpiresAt" = ($3::timestamptz AT TIME ZONE 'UTC')
       WHERE "id" = $1 AND "status" = 'QUEUED' RETURNING ${claimed}`,
      [runId, attempt, lease],
    );
    if (fresh || attempt === 0) return fresh && { run: fresh, resumed: false };
    const [taken] = await sql.query<ClaimedRun>(
      `UPDATE "Run" SET "attempt" = $2, "leaseExpiresAt" = ($3::timestamptz AT TIME ZONE 'UTC')
       WHERE "id" = $1 AND "status" = 'RUNNING' AND "attempt" < $2 RETURNING ${claimed}`,
      [runId, attempt, lease],
    );
    return taken && { run: taken, resumed: true };
  }

  private async executeRun(runId: string, attempt: number): Promise<"ended" | "retry"> {
    const { db } = this.config;
    const controller = new AbortController();
    this.active.set(runId, controller);
    this.scheduleLeaseRenewal();
    const timer = setTimeout(() => controller.abort(new RunStop("timeout")), this.config.timeoutMs);
    let usage = emptyUsage();
    const counters = { toolCalls: 0, retries: 0 };
    let claimed: Awaited<ReturnType<RunExecutor["claim"]>>;
    let events: RunEventLog | undefined;
    let pkg: AgentPackageDefinition | undefined;
    let meter: BillableMeter | undefined; // a REMOTE package's billable events
    try {
      claimed = await this.claim(runId, attempt);
      if (!claimed) return "ended"; // canceled while queued, or ended by someone else
      const { run, resumed } = claimed;
      let from: ResumePoint | undefined;
      if (resumed) {
        from = resumePoint(await db.runEvent.findMany({ where: { runId }, orderBy: { seq: "asc" }, select: { seq: true, type: true, data: true } }), run.provider);
        usage = from.usage;
        Object.assign(counters, { toolCalls: from.toolCalls, retries: from.retries });
        events = new RunEventLog(sql, runId, from.lastSeq);
        events.add("resumed", { attempt, turnsKept: from.turns, toolCallsKept: from.toolCalls });
        metrics().runsResumed.inc();
        log.warn("run resumed", { runId, attempt, turnsKept: from.turns });
      } else {
        events = new RunEventLog(sql, runId, 1); // accept wrote seq 1 (QUEUED)
        if (run.depth === 0 && run.startedAt) metrics().runQueueLatency.observe((run.startedAt.getTime() - run.createdAt.getTime()) / 1000);
      }
      if (run.cancelRequestedAt) throw new RunStop("canceled");
      log.info("run started", { runId, agent: run.agentSlug, workspaceId: run.workspaceId, model: run.model, attempt });
      events.add("status", { status: "RUNNING", provider: run.provider, model: run.model });
      events.flushSoon();

      // Code-defined and hosted packages first: a built-in run never looks for a remote version.
      pkg = await runDefinition(db, run);
      const remote = pkg ? null : await remoteVersion(run.packageId);
      if (!pkg && !remote) throw new RunFailure("package_unavailable", `Version ${run.packageVersion} of ${run.agentSlug} is no longer available on this server.`);
      const output = remote
        ? await this.runRemote(run, remote, events, controller.signal, (meter = new BillableMeter(remote.remote.billableEvents)), resumed)
        : await this.loop(run, pkg!, events, controller.signal, usage, counters, from);
      return (await this.finish(run, events, { status: "SUCCEEDED", output, usage, billableEventsMicros: meter?.micros, ...counters }, attempt)) ? "ended" : "retry";
    } catch (err) {
      if (!claimed || !events) {
        log.error("run could not be claimed", { runId, err });
        return "ended";
      }
      if (controller.signal.reason instanceof RunStop && controller.signal.reason.kind === "interrupted") {
        await events.close().catch((e: Error) => log.warn("events of a handed-back run not written", { runId, err: e.message }));
        await insertEvents(sql, runId, events.drain()).catch(() => undefined);
        return "retry";
      }
      const thirdParty = Boolean(meter) || (pkg?.thirdParty ?? false);
      return (await this.finish(claimed.run, events, { ...this.ending(err, controller.signal, thirdParty), billableEventsMicros: meter?.micros, usage, ...counters }, attempt)) ? "ended" : "retry";
    } finally {
      clearTimeout(timer);
      this.active.delete(runId);
      this.terms.delete(runId);
      if (this.active.size === 0) for (const resolve of this.idleWaiters.splice(0)) resolve();
    }
  }

  /** How a run that threw ends, with its failure attribution (`thirdParty`: the package's own faults are its provider's). */
  private ending(err: unknown, signal: AbortSignal, thirdParty: boolean): Omit<RunEnding, "usage"> {
    // A remote package's provider failed it (its own deadline included): that is the run's ending, whatever stopped it since.
    if (err instanceof RunFailure && err.failureCause === "provider") return { status: "FAILED", error: { code: err.code, message: err.message, details: err.details, cause: "provider" } };
    const ending = this.endingOf(err, signal);
    if (!ending.error) return ending;
    const cause = (err instanceof RunFailure && err.failureCause) || failureCause(ending.error.code, thirdParty);
    return { ...ending, error: { ...ending.error, cause } };
  }

  private endingOf(err: unknown, signal: AbortSignal): Omit<RunEnding, "usage"> {
    const stop = signal.aborted && signal.reason instanceof RunStop ? signal.reason : err instanceof RunStop ? err : undefined;
    if (stop?.kind === "canceled") return { status: "CANCELED", error: { code: "canceled", message: stop.message } };
    if (stop?.kind === "interrupted") return { status: "FAILED", error: { code: "interrupted", message: "The server shut down before the run finished." } };
    if (stop?.kind === "timeout") return { status: "FAILED", error: { code: "timeout", message: `${stop.message} (${Math.round(this.config.timeoutMs / 1000)} s)` } };
    if (err instanceof RunFailure) return { status: "FAILED", error: { code: err.code, message: err.message, details: err.details, cause: err.failureCause } };
    if (err instanceof ProviderError) {
      const code = err.opts.code === "provider_unavailable" ? "provider_unavailable" : err.opts.code === "tool_error" ? "tool_error" : "provider_error";
      return { status: "FAILED", error: { code, message: err.message, details: err.opts.status ? { status: err.opts.status, type: err.opts.code } : undefined } };
    }
    log.error("run failed unexpectedly", { err });
    return { status: "FAILED", error: { code: "internal_error", message: "The run failed because of an error on our side." } };
  }

  /** Ends the run (only if this attempt still holds it); false when that failed and the job should be tried again. */
  private async finish(run: ClaimedRun, events: RunEventLog, ending: RunEnding, attempt: number): Promise<boolean> {
    try {
      await events.close();
      await finishRun(this.config.db, run, ending, { from: ["RUNNING"], attempt, events, terms: this.terms.get(run.id), startedAt: run.startedAt ?? undefined });
      return true;
    } catch (err) {
      log.error("run could not be finished; its job will be tried again", { runId: run.id, err });
      return false;
    }
  }

  /**
   * A child run (Workflow Orchestrator's run_agent): accepted for the parent's
   * caller and workspace like any run — validated, priced, charged — linked to
   * the parent, and executed here, awaited, outside the concurrency pool (a
   * parent holding a slot while it waits could otherwise deadlock the pool).
   * Canceling the parent cancels the child.
   */
  private async runChild(parent: ClaimedRun, agent: string, input: unknown, signal: AbortSignal): Promise<ChildRunResult> {
    const { db } = this.config;
    const started = await db.run.count({ where: { parentRunId: parent.id } });
    if (started >= MAX_CHILDREN) throw new Error(`A run can start at most ${MAX_CHILDREN} child runs.`);
    const caller = { userId: parent.userId, apiKeyId: parent.apiKeyId, workspace: await principalWorkspace(parent.workspaceId) };
    let child;
    try {
      child = await acceptRun(caller, { agent, input: input ?? null }, { executor: this, parent: { id: parent.id, depth: parent.depth } });
    } catch (err) {
      // Validation and "no such agent" go back to the model as the tool's error.
      if (err instanceof ApiError) throw new Error(`${err.message}${err.details ? ` ${JSON.stringify(err.details)}` : ""}`);
      throw err;
    }
    const runId = child.run.id;
    this.terms.set(runId, child.terms);
    const cancel = () => this.cancelLocal(runId);
    signal.addEventListener("abort", cancel, { once: true });
    try {
      await this.execute(runId);
    } finally {
      signal.removeEventListener("abort", cancel);
    }
    const row = await db.run.findUniqueOrThrow({ where: { id: runId }, select: { status: true, output: true, errorCode: true, errorMessage: true, priceMicros: true } });
    return {
      runId,
      agent,
      status: row.status as ChildRunResult["status"],
      output: row.output,
      error: row.errorCode ? { code: row.errorCode, message: row.errorMessage ?? "" } : null,
      priceMicros: Number(row.priceMicros),
    };
  }

  /** A REMOTE package's run (lib/remote/run-remote.ts). The provider's task cannot be taken up again: a resumed attempt cancels it and ends the run FAILED. */
  private async runRemote(run: ClaimedRun, version: RemoteVersion, events: RunEventLog, signal: AbortSignal, meter: BillableMeter, resumed: boolean): Promise<unknown> {
    if (resumed) {
      await cancelRemoteTask(run.id, version);
      throw new RunFailure("interrupted", "The server stopped while the provider was running this run; a remote run cannot be resumed.", undefined, "platform");
    }
    return runRemote({ run, version, events, signal, meter, timedOut: () => signal.reason instanceof RunStop && signal.reason.kind === "timeout" });
  }

  private providerFor(provider: string, pkg: AgentPackageDefinition, input: unknown): ModelProvider {
    if (provider === "offline") return new OfflineProvider(pkg, input);
    if (!this.config.anthropic) throw new RunFailure("provider_unavailable", "This run needs the Anthropic provider, which is not configured on this server.");
    const anthropic = this.config.anthropic;
    const breaker = this.config.breaker;
    return { name: "anthropic", turn: (req, onEvent) => breaker.run(() => anthropic.turn(req, onEvent)) };
  }

  private async loop(
    run: ClaimedRun,
    pkg: AgentPackageDefinition,
    events: RunEventLog,
    signal: AbortSignal,
    usage: Usage,
    counters: { toolCalls: number; retries: number },
    from?: ResumePoint,
  ): Promise<unknown> {
    const input = pkg.input.parse(run.input);
    const problem = pkg.inputProblem?.(input);
    if (problem) throw new RunFailure("consumer_input", problem);
    const provider = this.providerFor(run.provider, pkg, input);
    const ctx: ToolContext = { workspaceId: run.workspaceId, runId: run.id, signal, db: this.config.db, runAgent: (agent, input) => this.runChild(run, agent, input, signal) };
    const messages: ChatMessage[] = [{ role: "user", content: [{ type: "text", text: userMessage(input) }] }, ...(from?.messages ?? [])];
    const tools = modelTools(pkg);
    // A hosted manifest's own turn limit is its provider's; the server's, the platform's.
    const maxTurns = Math.min(this.config.maxTurns, pkg.maxTurns ?? Infinity);
    const limitCause = maxTurns < this.config.maxTurns ? undefined : "platform";

    for (let turn = (from?.turns ?? 0) + 1; ; turn++) {
      const turnUsage = emptyUsage(); // this turn's tokens, retries included: recorded with its first tool call (lib/runs/resume.ts)
      if (turn > maxTurns) throw new RunFailure("turn_limit", `The agent did not finish within ${maxTurns} model turns.`, undefined, limitCause);
      const result = await withRetries(
        () =>
          withSpan("model.call", { "agora.run_id": run.id, "gen_ai.system": provider.name, "gen_ai.request.model": run.model, "agora.turn": turn }, async (span) => {
            const r = await provider.turn({ model: run.model, system: systemPrompt(pkg), messages, tools, maxTokens: pkg.maxOutputTokens, signal }, (e) => {
              if (e.type === "text") events.appendText(e.text);
            });
            span.setAttributes({ "gen_ai.usage.input_tokens": r.usage.inputTokens, "gen_ai.usage.output_tokens": r.usage.outputTokens });
            return r;
          }),
        {
          policy: this.config.retryPolicy,
          signal,
          onRetry: (attempt, delayMs, err) => {
            counters.retries++;
            addUsage(turnUsage, err.opts.usage);
            events.add("status", { status: "RUNNING", retry: { attempt, delayMs, reason: err.message } });
            events.flushSoon();
          },
        },
      ).catch((err: unknown) => {
        if (err instanceof ProviderError) addUsage(usage, addUsage(turnUsage, err.opts.usage)); // tokens seen before the failure
        throw err;
      });
      addUsage(usage, addUsage(turnUsage, result.usage));
      messages.push({ role: "assistant", content: result.content });

      const uses = result.content.filter((b): b is Extract<ContentBlock, { type: "tool_use" }> => b.type === "tool_use");
      if (result.stopReason !== "tool_use" || uses.length === 0) {
        const text = result.content.map((b) => (b.type === "text" ? b.text : "")).join("");
        return parseModelOutput(pkg.output, text);
      }

      const results: ContentBlock[] = [];
      for (const [i, use] of uses.entries()) {
        if (signal.aborted) throw signal.reason;
        counters.toolCalls++;
        events.add("tool_call", { id: use.id, name: use.name, input: use.input as Prisma.InputJsonValue, turn, ...(i === 0 ? { usage: turnUsage } : {}) });
        events.flushSoon();
        const startedAt = performance.now();
        const outcome = await withSpan("tool.call", { "agora.run_id": run.id, "agora.tool": use.name }, async (span) => {
          const o = await runTool(pkg, use, ctx);
          span.setAttribute("agora.tool.ok", o.ok);
          return o;
        });
        const durationMs = Math.round(performance.now() - startedAt);
        events.add("tool_result", { id: use.id, name: use.name, ok: outcome.ok, durationMs, ...(outcome.ok ? { result: (outcome.result ?? null) as Prisma.InputJsonValue } : { error: outcome.error }) });
        // Written before going on: a run resumed after a crash never executes a completed tool call again.
        await events.flushNow();
        results.push(toolResultBlock(provider.name, use.id, outcome));
      }
      if (signal.aborted) throw signal.reason;
      messages.push({ role: "user", content: results });
    }
  }
}
