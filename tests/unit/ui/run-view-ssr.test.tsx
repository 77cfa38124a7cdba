import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { AppRouterContext, type AppRouterInstance } from "next/dist/shared/lib/app-router-context.shared-runtime";
import { renderToString } from "react-dom/server";
import { describe, expect, it, vi } from "vitest";
import { balanceQueryKey } from "@/components/layout/balance-badge";
import { RunView } from "@/components/runs/run-view";
import type { RunDetail } from "@/components/runs/run-types";
import { OFFLINE_OUTPUT_NOTE } from "@/lib/llm/offline-provider";

// The run page's server HTML must be what the browser's first render makes, or React
// reports a hydration mismatch. What only the browser knows — the balance in its query
// cache (filled by the header, in whichever order the page hydrates), the clock — must
// not reach the server's HTML.

const router = { push: () => undefined, replace: () => undefined, refresh: () => undefined, prefetch: () => undefined, back: () => undefined, forward: () => undefined } as unknown as AppRouterInstance;
const usage = { inputTokens: 0, outputTokens: 0, cacheWriteTokens: 0, cacheReadTokens: 0 };
const line = { tokens: 0, costMicros: 0 };

function run(over: Partial<RunDetail>): RunDetail {
  return {
    id: "run_ssr_1",
    agent: "security-scanner",
    agentName: "Security Scanner",
    agentVersion: "1.0.0",
    status: "SUCCEEDED",
    error: null,
    failureCause: null,
    provider: "offline",
    model: "offline",
    modelLabel: "Offline model",
    outputNote: null,
    usage,
    toolCalls: 2,
    retries: 0,
    costMicros: 0,
    priceMicros: 3_000,
    idempotencyKey: null,
    parentRunId: null,
    depth: 0,
    principal: { kind: "user", id: "u1" },
    createdAt: "2026-01-01T00:00:00.000Z",
    startedAt: "2026-01-01T00:00:00.100Z",
    finishedAt: "2026-01-01T00:00:01.300Z",
    durationMs: 1_200,
    deprecation: null,
    input: { files: [{ path: "a.py", content: "x = 'it''s'\n" }] },
    output: { findings: [] },
    children: [],
    breakdown: { input: line, output: line, cacheRead: line, cacheWrite: line, cacheSavingMicros: 0, modelCostMicros: 0, platformFeeMicros: 3_000, absorbedMicros: 0, priceMultiplierBps: 15_000, totalMicros: 3_000 },
    ...over,
  };
}

function serverHtml(detail: RunDetail, balanceMicros?: number, replay?: boolean): string {
  const client = new QueryClient();
  if (balanceMicros !== undefined) client.setQueryData(balanceQueryKey, balanceMicros);
  return renderToString(
    <AppRouterContext.Provider value={router}>
      <QueryClientProvider client={client}>
        <RunView initial={detail} replay={replay} />
      </QueryClientProvider>
    </AppRouterContext.Provider>,
  );
}

describe("RunView on the server", () => {
  it("renders a finished run the same whether or not the balance is cached", () => {
    const html = serverHtml(run({}), 997_000);
    expect(html).toContain("Total charged");
    expect(html).toContain("Run again");
    expect(html).toBe(serverHtml(run({})));
  });

  it("renders a running run the same at any moment (the elapsed clock is the browser's)", () => {
    const running = run({ status: "RUNNING", finishedAt: null, durationMs: null, breakdown: null });
    vi.useFakeTimers({ now: new Date("2026-01-01T00:00:02Z") });
    try {
      const before = serverHtml(running);
      vi.setSystemTime(new Date("2026-01-01T00:00:09Z"));
      expect(serverHtml(running)).toBe(before);
      expect(before).toContain("Starting…");
    } finally {
      vi.useRealTimers();
    }
  });

  it("calls a finished run a replay only when the page says so: one that ended just before its page opened was watched live", () => {
    expect(serverHtml(run({}), undefined, true)).toContain("Replayed from the run&#x27;s event log.");
    const justEnded = serverHtml(run({}), undefined, false);
    expect(justEnded).toContain("Streamed live as it ran.");
    expect(justEnded).not.toContain("Replayed");
  });

  it("says who a failed run's failure is due to, and that no language model wrote an offline output", () => {
    const failed = serverHtml(run({ status: "FAILED", output: null, error: { code: "manifest_error", message: "Nothing at /x." }, failureCause: "provider" }));
    expect(failed).toContain("Cause: the package");
    expect(failed).toContain("provider (its manifest, tools, endpoint or output). Failed runs are free.");
    expect(serverHtml(run({ outputNote: OFFLINE_OUTPUT_NOTE }))).toContain("no language model wrote this output.");
    expect(serverHtml(run({}))).not.toContain("no language model wrote this output.");
  });
});
