"use client";

import { useQuery } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { QueryStates } from "@/components/ui/query-states";
import { apiFetch } from "@/components/api/fetch-json";
import { microsToUsdInput, parseUsdToMicros } from "@/lib/money/format";
import type { listModelPrices, listTiers } from "@/lib/admin/catalog-admin";
import { adminSend, useAdminMutation } from "./admin-fetch";

type Tier = Awaited<ReturnType<typeof listTiers>>[number];
type Price = Awaited<ReturnType<typeof listModelPrices>>[number];

const input = "w-full rounded-md px-2 py-1 text-sm ring-1 ring-slate-300";

/** A row of labelled inputs saved with one PATCH; errors from the API shown under it. */
function RowForm({ title, fields, url, invalidate, toBody }: { title: string; fields: { name: string; label: string; value: string }[]; url: string; invalidate: string[]; toBody: (f: FormData) => Record<string, unknown> | string }) {
  const [error, setError] = useState<string | null>(null);
  const save = useAdminMutation((body: unknown) => adminSend(url, "PATCH", body), invalidate);
  function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const body = toBody(new FormData(e.currentTarget));
    if (typeof body === "string") return setError(body);
    setError(null);
    save.mutate(body);
  }
  return (
    <form onSubmit={submit} className="rounded-md p-3 ring-1 ring-slate-200" aria-label={`Edit ${title}`} noValidate>
      <p className="mb-2 font-medium">{title}</p>
      <div className="grid gap-2 sm:grid-cols-3 lg:grid-cols-5">
        {fields.map((f) => (
          <label key={f.name} className="text-xs text-slate-600">
            {f.label}
            <input name={f.name} defaultValue={f.value} className={input} inputMode="decimal" />
          </label>
        ))}
      </div>
      <div className="mt-2 flex items-center gap-3">
        <Button type="submit" variant="secondary" className="px-2.5 py-1 text-xs" pending={save.isPending}>
          Save {title}
        </Button>
        {save.isSuccess && <span className="text-xs text-green-700" role="status">Saved; applies to runs accepted from now on.</span>}
        {(error || save.error) && <span className="text-xs text-red-700" role="alert">{error ?? save.error?.message}</span>}
      </div>
    </form>
  );
}

const usd = (f: FormData, name: string) => parseUsdToMicros(String(f.get(name) ?? ""));
const int = (f: FormData, name: string) => Number(f.get(name));

export function AdminPricing() {
  const tiers = useQuery({ queryKey: ["admin", "tiers"], queryFn: async () => (await apiFetch<{ data: Tier[] }>("/api/v1/admin/tiers")).data });
  const prices = useQuery({ queryKey: ["admin", "prices"], queryFn: async () => (await apiFetch<{ data: Price[] }>("/api/v1/admin/model-prices")).data });
  return (
    <div className="space-y-6">
      <Card title="Tiers" description="Limits, included credits and the price multiplier of each plan (amounts in USD).">
        <QueryStates query={tiers} noun="tiers">
          {(list) => (
            <div className="space-y-3">
              {list.map((t) => (
                <RowForm
                  key={`${t.code}${t.updatedAt}`}
                  title={t.name}
                  url={`/api/v1/admin/tiers/${t.code}`}
                  invalidate={["admin", "tiers"]}
                  fields={[
                    { name: "requestsPerMinute", label: "Requests/min", value: String(t.requestsPerMinute) },
                    { name: "runsPerHour", label: "Runs/hour", value: String(t.runsPerHour) },
                    { name: "concurrentRuns", label: "Concurrent runs", value: String(t.concurrentRuns) },
                    { name: "tokensPerDay", label: "Tokens/day", value: String(t.tokensPerDay) },
                    { name: "multiplier", label: "Price multiplier (×)", value: (t.priceMultiplierBps / 10_000).toString() },
                    { name: "included", label: "Included credits (USD)", value: t.includedCreditsMicros === null ? "" : microsToUsdInput(t.includedCreditsMicros) },
                    { name: "stripePriceId", label: "Stripe price id", value: t.stripePriceId ?? "" },
                  ]}
                  toBody={(f) => {
                    const included = String(f.get("included") ?? "").trim();
                    const includedMicros = included === "" ? null : usd(f, "included");
                    if (included !== "" && includedMicros === null) return "Included credits: an amount in dollars.";
                    return {
                      requestsPerMinute: int(f, "requestsPerMinute"),
                      runsPerHour: int(f, "runsPerHour"),
                      concurrentRuns: int(f, "concurrentRuns"),
                      tokensPerDay: int(f, "tokensPerDay"),
                      priceMultiplierBps: Math.round(Number(f.get("multiplier")) * 10_000),
                      includedCreditsMicros: includedMicros,
                      stripePriceId: String(f.get("stripePriceId") ?? "").trim() || null,
                    };
                  }}
                />
              ))}
            </div>
          )}
        </QueryStates>
      </Card>
      <Card title="Model prices" description="List prices per million tokens, in USD (cached by each process for up to 30 s).">
        <QueryStates query={prices} noun="prices">
          {(list) => (
            <div className="space-y-3">
              {list.map((p) => (
                <RowForm
                  key={`${p.model}${p.inputMicrosPerMTok}${p.outputMicrosPerMTok}`}
                  title={p.displayName}
                  url={`/api/v1/admin/model-prices/${p.model}`}
                  invalidate={["admin", "prices"]}
                  fields={[
                    { name: "input", label: "Input", value: microsToUsdInput(p.inputMicrosPerMTok) },
                    { name: "output", label: "Output", value: microsToUsdInput(p.outputMicrosPerMTok) },
                    { name: "cacheWrite", label: "Cache write", value: microsToUsdInput(p.cacheWriteMicrosPerMTok) },
                    { name: "cacheRead", label: "Cache read", value: microsToUsdInput(p.cacheReadMicrosPerMTok) },
                  ]}
                  toBody={(f) => {
                    const [i, o, w, r] = ["input", "output", "cacheWrite", "cacheRead"].map((n) => usd(f, n));
                    if ([i, o, w, r].some((v) => v === null)) return "Prices are amounts in dollars per million tokens.";
                    return { inputMicrosPerMTok: i, outputMicrosPerMTok: o, cacheWriteMicrosPerMTok: w, cacheReadMicrosPerMTok: r };
                  }}
                />
              ))}
            </div>
          )}
        </QueryStates>
      </Card>
    </div>
  );
}
