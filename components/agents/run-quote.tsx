"use client";

import { useQuery } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { countOf, formatUsd } from "@/components/ui/format";
import { apiFetch } from "@/components/api/fetch-json";
import type { quoteRun } from "@/lib/runs/money/quote";

type Quote = Awaited<ReturnType<typeof quoteRun>>;

/** The input, settled: follows `value` once it has not changed for `ms`. */
function useSettled<T>(value: T, ms: number): T {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const t = setTimeout(() => setSettled(value), ms);
    return () => clearTimeout(t);
  }, [value, ms]);
  return settled;
}

/**
 * What this run is expected to cost (SPEC §4 "Quotes"), for the input as typed:
 * the median and 95th percentile of recent runs (or the model-based estimate),
 * the most that will be held while it runs, and whether the balance covers it.
 * `input` is undefined while the form is incomplete: nothing is asked then.
 */
export function RunQuote({ agent, input }: { agent: string; input: unknown }) {
  const body = useSettled(input === undefined ? null : JSON.stringify({ agent, input }), 400);
  const quote = useQuery({
    queryKey: ["quote", body],
    queryFn: ({ signal }) => apiFetch<Quote>("/api/v1/runs/quote", { method: "POST", headers: { "content-type": "application/json" }, body, signal }),
    enabled: body !== null,
    retry: false,
    staleTime: 30_000,
    placeholderData: (previous) => previous,
  });
  if (body === null) return <p className="text-sm text-slate-600">Fill in the required fields to see the price.</p>;
  if (quote.isError) return <p className="text-sm text-slate-500">Complete the input to see the price.</p>;
  const q = quote.data;
  if (!q) return <p className="text-sm text-slate-500">Pricing…</p>;
  const same = q.expected.p50Micros === q.expected.p95Micros;
  return (
    <div className="space-y-1 text-sm" data-testid="run-quote" aria-live="polite">
      <p className="text-slate-700">
        <span data-testid="quote-version">Runs {q.version}</span> · Expected price <strong className="tabular-nums">{formatUsd(q.expected.p50Micros)}</strong>
        {!same && (
          <>
            {" "}
            (95% of runs under <span className="tabular-nums">{formatUsd(q.expected.p95Micros)}</span>)
          </>
        )}
        <span className="text-slate-500">
          {" "}
          · {q.expected.basis === "recent_runs" ? `from the last ${countOf(q.expected.sampleSize, "run")}` : "estimated from the model's prices"} · up to{" "}
          <span className="tabular-nums">{formatUsd(q.maxHoldMicros)}</span> held while it runs
        </span>
      </p>
      {q.deprecation && (
        <p className="text-amber-800" role="alert" data-testid="quote-deprecation">
          {q.deprecation.message}
        </p>
      )}
      {!q.sufficient && (
        <p className="text-amber-800" role="alert">
          Your balance ({formatUsd(q.availableMicros)}) does not cover the {formatUsd(q.maxHoldMicros)} this run holds; it would be refused.
        </p>
      )}
    </div>
  );
}
