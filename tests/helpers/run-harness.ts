import { expect, vi } from "vitest";
import { securityScanner } from "@/lib/agents/security-scanner/package";
import type { Principal } from "@/lib/auth/principal";
import { getDb } from "@/lib/db/client";
import { AnthropicProvider } from "@/lib/llm/anthropic-provider";
import { CircuitBreaker } from "@/lib/llm/circuit-breaker";
import { acceptRun } from "@/lib/runs/accept-run";
import { RunExecutor, type ExecutorConfig } from "@/lib/runs/executor";

/** A real executor on the test database; Anthropic (real SDK) points at `anthropicUrl` when given. */
export function testExecutor(opts: Partial<Omit<ExecutorConfig, "anthropic">> & { anthropicUrl?: string } = {}): RunExecutor {
  const { anthropicUrl, ...over } = opts;
  return new RunExecutor({
    db: getDb(),
    anthropic: anthropicUrl ? new AnthropicProvider({ apiKey: "sk-ant-test-key-not-real", baseURL: anthropicUrl, timeoutMs: 10_000 }) : null,
    breaker: new CircuitBreaker("anthropic", { failureThreshold: 5, cooldownMs: 60_000 }),
    retryPolicy: { maxRetries: 3, baseDelayMs: 5, maxDelayMs: 50 },
    timeoutMs: 30_000, // a run's wall clock: roomy on a loaded machine (tests of the timeout set their own)
    leaseMs: 30_000,
    maxTurns: 6,
    concurrency: 8,
    ...over,
  });
}

export const scannerInput = securityScanner.exampleInput;

/** A schema-valid Security Scanner answer, as the model would write it. */
export const scannerAnswer = (findings: unknown[] = []) =>
  JSON.stringify({ summary: `${findings.length} finding(s).`, counts: { critical: 0, high: findings.length, medium: 0, low: 0 }, findings });

/** Accepts a run (Security Scanner unless told) and waits for the executor to finish it. */
export async function runToEnd(executor: RunExecutor, principal: Principal, input: object = scannerInput, agent = "security-scanner") {
  const { run } = await acceptRun(principal, { agent, input }, { executor });
  await executor.idle();
  return loadRun(run.id);
}

export async function loadRun(runId: string) {
  const db = getDb();
  const run = await db.run.findUniqueOrThrow({ where: { id: runId } });
  const events = await db.runEvent.findMany({ where: { runId }, orderBy: { seq: "asc" } });
  return { run, events, types: events.map((e) => e.type) };
}

/** Waits (10 s at most, failing loudly) until a run has streamed text to its event log: its model stream is open and has reported usage. */
export async function waitForStreamedText(runId: string): Promise<void> {
  await vi.waitFor(async () => expect(await getDb().runEvent.count({ where: { runId, type: "text" } })).toBeGreaterThan(0), { timeout: 10_000, interval: 20 });
}
