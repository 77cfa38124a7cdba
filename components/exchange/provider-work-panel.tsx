"use client";

import { useState, type FormEvent } from "react";
import { RequestFailure } from "@/components/api/fetch-json";
import { useProviderPackages } from "@/components/provider/use-provider-packages";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { Field, SelectField, TextAreaField } from "@/components/ui/field";
import { formatUsdExact } from "@/components/ui/format";
import { Usd } from "@/components/ui/usd";
import { parseUsdToMicros } from "@/lib/money/format";
import { BidSummary } from "./bid-ranking";
import { parseJson } from "./describe";
import type { WorkDetail } from "./types";
import { useDeliver, usePlaceBid, useWithdrawBid } from "./use-exchange";

/** A provider's side of an open work: its bids (withdraw while open) and a form for another. */
export function ProviderBids({ work }: { work: WorkDetail }) {
  const withdraw = useWithdrawBid(work.id);
  const open = work.status === "OPEN";
  return (
    <Card title="Your bids" description={open ? "The buyer sees every bid ranked by price, trust, fit and promised time." : undefined}>
      <div className="space-y-4">
        {work.bids.length === 0 ? (
          <p className="text-sm text-slate-500">You have not bid on this work.</p>
        ) : (
          <ul className="space-y-3" data-testid="own-bids">
            {work.bids.map((bid) => (
              <li key={bid.id} className="space-y-2 rounded-md p-3 ring-1 ring-slate-200">
                <BidSummary bid={bid} />
                {open && bid.status === "ACTIVE" && (
                  <Button variant="secondary" pending={withdraw.isPending && withdraw.variables === bid.id} onClick={() => withdraw.mutate(bid.id)}>
                    Withdraw
                  </Button>
                )}
              </li>
            ))}
          </ul>
        )}
        {withdraw.isError && <Alert tone="error">{withdraw.error.message}</Alert>}
        {open && <BidForm work={work} />}
      </div>
    </Card>
  );
}

function BidForm({ work }: { work: WorkDetail }) {
  const packages = useProviderPackages();
  const published = (packages.data ?? []).filter((p) => p.published);
  const place = usePlaceBid(work.id);
  const [pkg, setPkg] = useState("");
  const [price, setPrice] = useState("");
  const [minutes, setMinutes] = useState("60");
  const [note, setNote] = useState("");
  const priceMicros = parseUsdToMicros(price);
  const fieldError = (path: string) => (place.error instanceof RequestFailure ? place.error.fieldErrors[path] : undefined);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (priceMicros === null) return;
    place.mutate({ ...(pkg ? { package: pkg } : {}), priceMicros, promisedMinutes: Number(minutes), ...(note.trim() ? { note: note.trim() } : {}) }, { onSuccess: () => setNote("") });
  };
  return (
    <form onSubmit={submit} className="space-y-3 border-t border-slate-100 pt-4" aria-label="Place a bid">
      <h3 className="text-sm font-semibold text-slate-900">Place a bid</h3>
      <div className="grid gap-3 sm:grid-cols-3">
        <SelectField label="Delivered by" value={pkg} onChange={(e) => setPkg(e.target.value)} error={fieldError("package")} hint="A package runs on the input; without one you upload the output.">
          <option value="">No package: I upload the output</option>
          {published.map((p) => (
            <option key={p.slug} value={p.slug}>
              {p.name} ({p.slug} {p.published})
            </option>
          ))}
        </SelectField>
        <Field label="Price (USD)" inputMode="decimal" value={price} onChange={(e) => setPrice(e.target.value)} error={price && priceMicros === null ? "Enter an amount such as 3 or 4.50." : fieldError("priceMicros")} hint={`At most the budget, ${formatUsdExact(work.budgetMicros)}.`} />
        <Field label="Promised minutes" type="number" min={1} inputMode="numeric" value={minutes} onChange={(e) => setMinutes(e.target.value)} error={fieldError("promisedMinutes")} />
      </div>
      <TextAreaField label="Note to the buyer (optional)" rows={2} value={note} onChange={(e) => setNote(e.target.value)} error={fieldError("note")} />
      <Button type="submit" pending={place.isPending} disabled={priceMicros === null || !minutes}>
        Bid {priceMicros !== null && <Usd micros={priceMicros} exact />}
      </Button>
      {place.isError && <Alert tone="error">{place.error.message}</Alert>}
      {place.isSuccess && <Alert tone="success">Bid placed.</Alert>}
    </form>
  );
}

/** The winning provider's delivery: an output uploaded by hand, or its package run again on the input. */
export function DeliveryForm({ work }: { work: WorkDetail }) {
  const deliver = useDeliver(work.id);
  const [output, setOutput] = useState("{}");
  const parsed = parseJson(output);
  if (work.status !== "AWARDED" && work.status !== "REDELIVERY") return null;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!parsed.error) deliver.mutate({ output: parsed.value });
  };
  return (
    <div className="space-y-3 border-t border-slate-100 pt-4">
      {work.status === "REDELIVERY" && <Alert tone="warning">The first delivery failed its checks: you have one more attempt.</Alert>}
      {work.contract?.package && work.status === "AWARDED" && work.contract.deliveries.length === 0 && (
        <p className="text-sm text-slate-700">Agora runs {work.contract.package.slug} on the work&apos;s input now; its output is checked when the run ends.</p>
      )}
      {work.contract?.package && work.status === "REDELIVERY" && (
        <Button variant="secondary" pending={deliver.isPending && "run" in (deliver.variables ?? {})} onClick={() => deliver.mutate({ run: true })}>
          Run {work.contract.package.slug} again
        </Button>
      )}
      <form onSubmit={submit} className="space-y-3" aria-label="Deliver by hand">
        <TextAreaField label="Output (JSON)" rows={6} value={output} onChange={(e) => setOutput(e.target.value)} error={parsed.error ?? (deliver.error instanceof RequestFailure ? deliver.error.fieldErrors.output : undefined)} hint="Checked against the work's acceptance criteria as soon as you deliver." />
        <Button type="submit" pending={deliver.isPending && "output" in (deliver.variables ?? {})} disabled={!!parsed.error}>
          Deliver
        </Button>
      </form>
      {deliver.isError && <Alert tone="error">{deliver.error.message}</Alert>}
    </div>
  );
}
