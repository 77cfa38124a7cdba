"use client";

import { useState, type FormEvent } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { Field } from "@/components/ui/field";
import { formatUsd } from "@/components/ui/format";
import { QueryStates } from "@/components/ui/query-states";
import { microsToUsdInput, parseUsdToMicros } from "@/lib/money/format";
import { useCancelPriceChange, usePriceChanges, useSchedulePriceChange } from "./use-provider-packages";

const day = (iso: string) => new Date(iso).toLocaleDateString("en", { dateStyle: "long", timeZone: "UTC" });

/** A published package's base fee: lower it now, or raise it after the notice period (cancellable until then). */
export function PriceChanges({ slug, currentMicros }: { slug: string; currentMicros: number }) {
  const [fee, setFee] = useState(microsToUsdInput(currentMicros));
  const [error, setError] = useState<string | null>(null);
  const changes = usePriceChanges(slug);
  const schedule = useSchedulePriceChange(slug);
  const cancel = useCancelPriceChange(slug);

  function onSubmit(e: FormEvent) {
    e.preventDefault();
    const micros = parseUsdToMicros(fee);
    if (micros === null) return setError("Enter an amount in dollars, such as 0.05.");
    setError(null);
    schedule.mutate(micros, { onError: (err) => setError(err.message) });
  }

  return (
    <Card title="Price" description="A lower base fee applies at once to every version. A higher one takes effect after 14 days' notice, shown on the package page.">
      <div className="space-y-4">
        <form onSubmit={onSubmit} aria-label="Change the base fee" className="flex flex-col gap-3 sm:flex-row sm:items-end">
          <Field label="New base fee per run (USD)" name="baseFee" inputMode="decimal" value={fee} onChange={(e) => setFee(e.target.value)} error={error ?? undefined} className="min-w-0 flex-1" />
          <Button type="submit" variant="secondary" pending={schedule.isPending}>
            Change price
          </Button>
        </form>
        <QueryStates query={changes} noun="price changes" isEmpty={changes.data?.length === 0} empty={<p className="text-sm text-slate-500">No price changes yet.</p>}>
          {(rows) => (
            <ul className="divide-y divide-slate-100 text-sm" data-testid="price-changes">
              {rows.map((c) => (
                <li key={c.id} className="flex flex-wrap items-center justify-between gap-2 py-2">
                  <span>
                    {formatUsd(c.baseFeeMicros)} per run · {c.canceledAt ? "canceled" : c.appliedAt ? `since ${day(c.appliedAt)}` : `from ${day(c.effectiveAt)} (pending)`}
                  </span>
                  {!c.appliedAt && !c.canceledAt && (
                    <Button variant="ghost" className="px-2 py-1 text-xs" pending={cancel.isPending} onClick={() => cancel.mutate(c.id)}>
                      Cancel increase
                    </Button>
                  )}
                </li>
              ))}
            </ul>
          )}
        </QueryStates>
        {cancel.error && <Alert tone="error">{cancel.error.message}</Alert>}
      </div>
    </Card>
  );
}
