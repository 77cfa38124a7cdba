import type { AgentPackageDefinition, ChildRunResult, ToolContext } from "@/lib/agents/define-package";
import { packageDefinition } from "@/lib/agents/registry";
import type { Db } from "@/lib/db/client";
import type { Prisma } from "@/lib/generated/prisma/client";
import { AnthropicProvider } from "@/lib/llm/anthropic-provider";
import { CircuitBreaker } from "@/lib/llm/circuit-breaker";
import { OfflineProvider } from "@/lib/llm/offline-provider";
import { emptyUsage, ProviderError, type ChatMessage, type ContentBlock, type ModelProvider, type Usage } from "@/lib/llm/provider";
import { withRetries, type RetryPolicy } from "@/lib/llm/retry-policy";
import { log } from "@/lib/observability/log";
import { withSpan } from "@/lib/observability/tracing";
import { principalWorkspace } from "@/lib/auth/principal";
import { ApiError } from "@/lib/http/errors";
import { acceptRun } from "./accept-run";
import { finishRun, type RunEnding } from "./finish-run";
import { parseModelOutput, RunFailure } from "./model-output";
import type { PriceTerms } from "./outcome";
import { modelTools, systemPrompt, userMessage } from "./prompt";
import { RunEventLog } from "./run-event-log";

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
  concurrency: number;
};

/** Why a run was stopped from outside its loop. */
class RunStop extends Error {
  constructor(readonly kind: "canceled" | "timeout" | "interrupted") {
    super(kind === "canceled" ? "The run was canceled." : "The run exceeded its time limit.");
  }
}

const TOOL_RESULT_LIMIT = 200_000; // characters of JSON handed back to a language model

function addUsage(total: Usage, more: Usage | undefined): void {
  if (!more) return;
  total.inputTokens += more.inputTokens;
  total.outputTokens += more.outputTokens;
  total.cacheWriteTokens += more.cacheWriteTokens;
  total.cacheReadTokens += more.cacheReadTokens;
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

const claimSelect = {
  id: true,
  workspaceId: true,
  userId: true,
  apiKeyId: true,
  depth: true,
  agentSlug: true,
  packageId: true,
  packageVersion: true,
  model: true,
  provider: true,
  input: true,
  cancelRequestedAt: true,
  startedAt: true,
} satisfies Prisma.RunSelect;

type ClaimedRun = Prisma.RunGetPayload<{ select: typeof claimSelect }>;

const MAX_CHILDREN = 10; // child runs one run may start

export class RunExecutor {
  private readonly active = new Map<string, AbortController>();
  private readonly waiting: string[] = [];
  private readonly terms = new Map<string, PriceTerms>();
  private running = 0;
  private leaseTimer: NodeJS.Timeout | undefined;
  private idleWaiters: (() => void)[] = [];

  constructor(readonly config: ExecutorConfig) {}

  get providerName(): "anthropic" | "offline" {
    return this.config.anthropic ? "anthropic" : "offline";
  }

  /** Queues an accepted run for execution in this process; `terms` (known at accept) spare a query at the end. */
  submit(runId: string, terms?: PriceTerms): void {
    if (terms) this.terms.set(runId, terms);
    this.waiting.push(runId);
    this.pump();
  }

  /** Aborts the run if this process executes it. */
  cancelLocal(runId: string): boolean {
    const controller = this.active.get(runId);
    if (!controller) return false;
    controller.abort(new RunStop("canceled"));
    return true;
  }

  /**
   * Graceful shutdown's part (SPEC-ops, issue 8): runs queued here but not
   * started end FAILED `interrupted` now (their holds voided); running ones get
   * `graceMs` to finish, then are stopped and end FAILED `interrupted` too.
   */
  async drain(graceMs: number): Promise<{ finished: number; interrupted: number }> {
    const waiting = this.waiting.splice(0);
    for (const runId of waiting) {
      const run = await this.config.db.run.findUnique({ where: { id: runId }, select: { id: true, workspaceId: true, apiKeyId: true, agentSlug: true, packageId: true, model: true } });
      if (run) await finishRun(this.config.db, run, { status: "FAILED", error: { code: "interrupted", message: "The server shut down before the run started." }, usage: emptyUsage() }, { from: ["QUEUED"] });
      this.terms.delete(runId);
    }
    const running = this.active.size;
    const done = await Promise.race([this.idle().then(() => true), new Promise<false>((r) => setTimeout(() => r(false), graceMs).unref())]);
    const interrupted = done ? 0 : this.active.size;
    if (!done) {
      for (const controller of this.active.values()) controller.abort(new RunStop("interrupted"));
      await this.idle();
    }
    return { finished: running - interrupted, interrupted: interrupted + waiting.length };
  }

  /** Resolves when nothing is executing or waiting (tests, graceful shutdown). */
  idle(): Promise<void> {
    if (this.running === 0 && this.waiting.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private pump() {
    while (this.running < this.config.concurrency && this.waiting.length) {
      const runId = this.waiting.shift()!;
      this.running++;
      void this.execute(runId).finally(() => {
        this.running--;
        this.pump();
        if (this.running === 0 && this.waiting.length === 0) for (const resolve of this.idleWaiters.splice(0)) resolve();
      });
    }
    this.scheduleLeaseRenewal();
  }

  private scheduleLeaseRenewal() {
    if (this.leaseTimer || (this.running === 0 && this.waiting.length === 0)) return;
    this.leaseTimer = setInterval(() => void this.renewLeases(), Math.floor(this.config.leaseMs / 3));
    this.leaseTimer.unref();
  }

  /** Extends the leases of every run this process holds; picks up cancels whose notification was missed. */
  private async renewLeases() {
    const ids = [...this.active.keys(), ...this.waiting];
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

  /** Executes one run to its end. Never throws: every failure becomes the run's FAILED status. */
  /** Executes one accepted run, in a `run` span (its model and tool calls, settlement and ledger writes nest under it). */
  execute(runId: string): Promise<void> {
    return withSpan("run", { "agora.run_id": runId }, () => this.executeRun(runId));
  }

  private async executeRun(runId: string): Promise<void> {
    const { db } = this.config;
    const controller = new AbortController();
    this.active.set(runId, controller);
    const timer = setTimeout(() => controller.abort(new RunStop("timeout")), this.config.timeoutMs);
    const usage = emptyUsage();
    const counters = { toolCalls: 0, retries: 0 };
    const events = new RunEventLog(db, runId, 1); // accept wrote seq 1 (QUEUED)
    let run: ClaimedRun | undefined;
    try {
      const claimed = await db.run.updateManyAndReturn({
        where: { id: runId, status: "QUEUED" },
        data: { status: "RUNNING", startedAt: new Date(), leaseExpiresAt: new Date(Date.now() + this.config.leaseMs) },
        select: claimSelect,
      });
      run = claimed[0];
      if (!run) return; // canceled while queued, or recovered: someone else ended it
      if (run.cancelRequestedAt) throw new RunStop("canceled");
      log.info("run started", { runId, agent: run.agentSlug, workspaceId: run.workspaceId, model: run.model });
      events.add("status", { status: "RUNNING", provider: run.provider, model: run.model });
      events.flushSoon();

      const output = await this.loop(run, events, controller.signal, usage, counters);
      await this.finish(run, events, { status: "SUCCEEDED", output, usage, ...counters });
    } catch (err) {
      if (!run) {
        log.error("run could not be claimed", { runId, err });
        return;
      }
      await this.finish(run, events, { ...this.ending(err, controller.signal), usage, ...counters });
    } finally {
      clearTimeout(timer);
      this.active.delete(runId);
      this.terms.delete(runId);
    }
  }

  private ending(err: unknown, signal: AbortSignal): Omit<RunEnding, "usage"> {
    const stop = signal.aborted && signal.reason instanceof RunStop ? signal.reason : err instanceof RunStop ? err : undefined;
    if (stop?.kind === "canceled") return { status: "CANCELED", error: { code: "canceled", message: stop.message } };
    if (stop?.kind === "interrupted") return { status: "FAILED", error: { code: "interrupted", message: "The server shut down before the run finished." } };
    if (stop?.kind === "timeout") return { status: "FAILED", error: { code: "timeout", message: `${stop.message} (${Math.round(this.config.timeoutMs / 1000)} s)` } };
    if (err instanceof RunFailure) return { status: "FAILED", error: { code: err.code, message: err.message, details: err.details } };
    if (err instanceof ProviderError) {
      const code = err.opts.code === "provider_unavailable" ? "provider_unavailable" : err.opts.code === "tool_error" ? "tool_error" : "provider_error";
      return { status: "FAILED", error: { code, message: err.message, details: err.opts.status ? { status: err.opts.status, type: err.opts.code } : undefined } };
    }
    log.error("run failed unexpectedly", { err });
    return { status: "FAILED", error: { code: "internal_error", message: "The run failed because of an error on our side." } };
  }

  private async finish(run: ClaimedRun, events: RunEventLog, ending: RunEnding) {
    try {
      await events.close();
      await finishRun(this.config.db, run, ending, { from: ["RUNNING"], events, terms: this.terms.get(run.id), startedAt: run.startedAt ?? undefined });
    } catch (err) {
      // The lease lapses and recovery ends the run as interrupted.
      log.error("run could not be finished", { runId: run.id, err });
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

  private providerFor(provider: string, pkg: AgentPackageDefinition, input: unknown): ModelProvider {
    if (provider === "offline") return new OfflineProvider(pkg, input);
    if (!this.config.anthropic) throw new RunFailure("provider_unavailable", "This run needs the Anthropic provider, which is not configured on this server.");
    const anthropic = this.config.anthropic;
    const breaker = this.config.breaker;
    return { name: "anthropic", turn: (req, onEvent) => breaker.run(() => anthropic.turn(req, onEvent)) };
  }

  private async loop(
    run: ClaimedRun,
    events: RunEventLog,
    signal: AbortSignal,
    usage: Usage,
    counters: { toolCalls: number; retries: number },
  ): Promise<unknown> {
    const pkg = packageDefinition(run.agentSlug, run.packageVersion);
    if (!pkg) throw new RunFailure("package_unavailable", `Version ${run.packageVersion} of ${run.agentSlug} is no longer available on this server.`);
    const input = pkg.input.parse(run.input);
    const problem = pkg.inputProblem?.(input);
    if (problem) throw new RunFailure("consumer_input", problem);
    const provider = this.providerFor(run.provider, pkg, input);
    const ctx: ToolContext = { workspaceId: run.workspaceId, runId: run.id, signal, db: this.config.db, runAgent: (agent, input) => this.runChild(run, agent, input, signal) };
    const messages: ChatMessage[] = [{ role: "user", content: [{ type: "text", text: userMessage(input) }] }];
    const tools = modelTools(pkg);

    for (let turn = 1; ; turn++) {
      if (turn > this.config.maxTurns) throw new RunFailure("turn_limit", `The agent did not finish within ${this.config.maxTurns} model turns.`);
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
            addUsage(usage, err.opts.usage);
            events.add("status", { status: "RUNNING", retry: { attempt, delayMs, reason: err.message } });
            events.flushSoon();
          },
        },
      ).catch((err: unknown) => {
        if (err instanceof ProviderError) addUsage(usage, err.opts.usage); // tokens seen before the failure
        throw err;
      });
      addUsage(usage, result.usage);
      messages.push({ role: "assistant", content: result.content });

      const uses = result.content.filter((b): b is Extract<ContentBlock, { type: "tool_use" }> => b.type === "tool_use");
      if (result.stopReason !== "tool_use" || uses.length === 0) {
        const text = result.content.map((b) => (b.type === "text" ? b.text : "")).join("");
        return parseModelOutput(pkg.output, text);
      }

      const results: ContentBlock[] = [];
      for (const use of uses) {
        if (signal.aborted) throw signal.reason;
        counters.toolCalls++;
        events.add("tool_call", { id: use.id, name: use.name, input: use.input as Prisma.InputJsonValue });
        events.flushSoon();
        const startedAt = performance.now();
        const outcome = await withSpan("tool.call", { "agora.run_id": run.id, "agora.tool": use.name }, async (span) => {
          const o = await runTool(pkg, use, ctx);
          span.setAttribute("agora.tool.ok", o.ok);
          return o;
        });
        const durationMs = Math.round(performance.now() - startedAt);
        const content = outcome.ok ? JSON.stringify(outcome.result ?? null) : outcome.error;
        events.add("tool_result", { id: use.id, name: use.name, ok: outcome.ok, durationMs, ...(outcome.ok ? { result: (outcome.result ?? null) as Prisma.InputJsonValue } : { error: outcome.error }) });
        events.flushSoon();
        // The offline model parses results back as JSON, so it gets them whole; a cut would make a large (allowed) input an internal error.
        const handedBack = provider.name === "offline" ? content : content.slice(0, TOOL_RESULT_LIMIT);
        results.push({ type: "tool_result", tool_use_id: use.id, content: handedBack, ...(outcome.ok ? {} : { is_error: true }) });
      }
      if (signal.aborted) throw signal.reason;
      messages.push({ role: "user", content: results });
    }
  }
}
