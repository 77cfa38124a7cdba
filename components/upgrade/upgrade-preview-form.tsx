"use client";

import { useMutation, useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { apiFetch } from "@/components/api/fetch-json";
import { RunStatusBadge } from "@/components/runs/run-status-badge";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";
import { SelectField } from "@/components/ui/field";
import { countOf, formatUsd, timeAgo } from "@/components/ui/format";
import { KeyValueList } from "@/components/ui/key-value-list";
import { Usd } from "@/components/ui/usd";
import type { quoteUpgradePreview, upgradeCandidates, UpgradePreviewJson } from "@/lib/packages/upgrade-preview";

type Candidates = Awaited<ReturnType<typeof upgradeCandidates>>;
type Quote = Awaited<ReturnType<typeof quoteUpgradePreview>>;

const post = <T,>(url: string, body: unknown) => apiFetch<T>(url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });

/**
 * Pick version A (the one the workspace runs) and B (another published one), up to five recent inputs of
 * A, get the quote of running them on B, then start the preview: its comparison page opens.
 */
export function UpgradePreviewForm({ initial }: { initial: Candidates }) {
  const router = useRouter();
  const slug = initial.agent;
  const [from, setFrom] = useState(initial.from ?? "");
  const [to, setTo] = useState(initial.toVersions[0] ?? "");
  const [picked, setPicked] = useState<string[]>([]);
  // One key per quote shown: a second click (or a retry after a network error) starts no second preview.
  const [startKey, setStartKey] = useState(() => crypto.randomUUID());

  const candidates = useQuery({
    queryKey: ["upgrade-candidates", slug, from],
    queryFn: ({ signal }) => apiFetch<Candidates>(`/api/v1/agents/${slug}/upgrade-previews/candidates?from=${encodeURIComponent(from)}`, { signal }),
    initialData: from === initial.from ? initial : undefined,
    enabled: from !== "",
    staleTime: 60_000,
  });
  const quote = useMutation({ mutationFn: () => post<Quote>(`/api/v1/agents/${slug}/upgrade-previews/quote`, { from, to, runIds: picked }) });
  const start = useMutation({
    mutationFn: () => post<UpgradePreviewJson>(`/api/v1/agents/${slug}/upgrade-previews`, { from, to, runIds: picked, idempotencyKey: startKey }),
    onSuccess: (preview) => router.push(`/upgrade-previews/${preview.id}`),
  });

  /** Any change of the request makes the quote shown stale. */
  const changed = () => {
    quote.reset();
    start.reset();
    setStartKey(crypto.randomUUID());
  };
  const pickFrom = (version: string) => {
    setFrom(version);
    setPicked([]);
    changed();
  };
  const toggle = (runId: string) => {
    setPicked((p) => (p.includes(runId) ? p.filter((id) => id !== runId) : [...p, runId]));
    changed();
  };

  if (!initial.ranVersions.length) {
    return (
      <EmptyState title="No finished runs of this agent yet">
        An upgrade preview reruns your own recent inputs on another version.{" "}
        <Link href={`/agents/${slug}`} className="underline">
          Run the agent
        </Link>{" "}
        first.
      </EmptyState>
    );
  }
  const data = candidates.data;
  const toVersions = data?.toVersions ?? [];
  const full = picked.length >= initial.maxInputs;

  return (
    <form
      className="space-y-6"
      onSubmit={(e) => {
        e.preventDefault();
        quote.mutate();
      }}
    >
      <div className="grid gap-3 sm:grid-cols-2">
        <SelectField label="Your version (A)" value={from} onChange={(e) => pickFrom(e.target.value)} hint="The version whose runs' inputs are reused.">
          {initial.ranVersions.map((v) => (
            <option key={v} value={v}>
              {v}
            </option>
          ))}
        </SelectField>
        <SelectField
          label="Version to try (B)"
          value={to}
          onChange={(e) => {
            setTo(e.target.value);
            changed();
          }}
          disabled={!toVersions.length}
        >
          {toVersions.length ? (
            toVersions.map((v) => (
              <option key={v} value={v}>
                {v}
              </option>
            ))
          ) : (
            <option value="">No other published version</option>
          )}
        </SelectField>
      </div>

      <fieldset className="min-w-0 space-y-2">
        <legend className="text-sm font-medium text-slate-800">
          Inputs to try <span className="font-normal text-slate-500">(up to {initial.maxInputs}; {picked.length} picked)</span>
        </legend>
        {candidates.isError && <Alert tone="error">Could not load your runs: {candidates.error.message}</Alert>}
        {candidates.isPending && from !== "" ? (
          <p role="status" className="text-sm text-slate-500">
            Loading your runs…
          </p>
        ) : !data?.candidates.length ? (
          <EmptyState title={`No finished runs of ${from || "this version"}`}>Runs that succeeded or failed can be tried again; canceled ones cannot.</EmptyState>
        ) : (
          <ul className="divide-y divide-slate-100 rounded-md ring-1 ring-slate-200" data-testid="upgrade-candidates">
            {data.candidates.map((c) => {
              const checked = picked.includes(c.runId);
              return (
                <li key={c.runId}>
                  <label className="flex cursor-pointer items-start gap-3 px-3 py-2 hover:bg-slate-50">
                    <input type="checkbox" className="mt-1 size-4 shrink-0" checked={checked} disabled={!checked && full} onChange={() => toggle(c.runId)} aria-label={`Input of run ${c.runId}, ${timeAgo(c.createdAt)}`} />
                    <span className="min-w-0 flex-1 space-y-1">
                      <span className="block truncate font-mono text-xs text-slate-800">{c.inputSummary}</span>
                      <span className="flex flex-wrap items-center gap-2 text-xs text-slate-500">
                        <RunStatusBadge status={c.status} />
                        <time dateTime={c.createdAt} title={new Date(c.createdAt).toLocaleString()}>
                          {timeAgo(c.createdAt)}
                        </time>
                        <span>· {formatUsd(c.priceMicros)}</span>
                      </span>
                    </span>
                  </label>
                </li>
              );
            })}
          </ul>
        )}
      </fieldset>

      <div className="flex flex-wrap gap-3">
        <Button type="submit" variant={quote.isSuccess ? "secondary" : "primary"} pending={quote.isPending} disabled={!picked.length || !to}>
          Get quote
        </Button>
        {quote.isSuccess && (
          <Button type="button" pending={start.isPending} disabled={!quote.data.sufficient} onClick={() => start.mutate()}>
            Run preview
          </Button>
        )}
      </div>

      {quote.isError && (
        <Alert tone="error">
          {quote.error.message}{" "}
          {quote.error.message.includes("Add credits") && (
            <Link href="/billing" className="underline">
              Add credits
            </Link>
          )}
        </Alert>
      )}
      {quote.isSuccess && <QuoteSummary quote={quote.data} />}
      {start.isError && <Alert tone="error">{start.error.message}</Alert>}
    </form>
  );
}

function QuoteSummary({ quote }: { quote: Quote }) {
  return (
    <section className="space-y-3 rounded-md bg-slate-50 p-3 ring-1 ring-slate-200" data-testid="upgrade-quote" aria-live="polite">
      <h2 className="text-sm font-semibold text-slate-900">
        Quote: {countOf(quote.items.length, "run")} of {quote.agent}@{quote.to}
      </h2>
      <ol className="space-y-1 text-sm">
        {quote.items.map((item, i) => (
          <li key={item.runId} className="flex flex-wrap justify-between gap-x-4">
            <span className="text-slate-600">Input {i + 1}</span>
            {item.error ? (
              <span className="text-red-700">{item.error.message}</span>
            ) : (
              <span className="tabular-nums">
                expected <Usd micros={item.expected!.p50Micros} />
                {item.expected!.p95Micros !== item.expected!.p50Micros && (
                  <>
                    {" "}
                    (≤ <Usd micros={item.expected!.p95Micros} /> for 95%)
                  </>
                )}{" "}
                · holds up to <Usd micros={item.maxHoldMicros} />
              </span>
            )}
          </li>
        ))}
      </ol>
      <KeyValueList
        rows={[
          ["Total held at most", <Usd key="hold" micros={quote.totalMaxHoldMicros} testId="upgrade-quote-total" />],
          ["Your balance", <Usd key="balance" micros={quote.availableMicros} />],
        ]}
      />
      <p className="text-xs text-slate-500">Each input runs as a normal run and is charged its actual price; unused holds are released.</p>
    </section>
  );
}
