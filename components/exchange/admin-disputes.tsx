"use client";

import Link from "next/link";
import { useState, type FormEvent } from "react";
import { adminSend, useAdminMutation } from "@/components/admin/admin-fetch";
import { RequestFailure } from "@/components/api/fetch-json";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { Field, SelectField, TextAreaField } from "@/components/ui/field";
import { formatUsdExact, timeAgo } from "@/components/ui/format";
import { LoadMore } from "@/components/ui/load-more";
import { QueryStates } from "@/components/ui/query-states";
import { useCursorList } from "@/components/ui/use-url-filters";
import { parseUsdToMicros } from "@/lib/money/format";
import { ContractTerms, DeliveryView } from "./contract-panel";
import type { DisputeJson, Page } from "./types";

const QUEUE = "/api/v1/admin/disputes";
const OUTCOMES = [
  { value: "RELEASE", label: "Release: the provider is paid in full" },
  { value: "PARTIAL_REFUND", label: "Partial refund to the buyer" },
  { value: "FULL_REFUND", label: "Full refund to the buyer" },
] as const;
type Outcome = (typeof OUTCOMES)[number]["value"];

/** /admin/disputes: disputed deliveries, oldest first, each with what the buyer said and a resolution form. */
export function AdminDisputes() {
  const { query, items } = useCursorList<Page<DisputeJson>>(QUEUE, {});
  return (
    <QueryStates query={query} noun="disputes" isEmpty={items.length === 0} empty={<EmptyState title="No open disputes">Buyers&apos; disputes of passed deliveries appear here, oldest first.</EmptyState>}>
      {() => (
        <div className="space-y-4">
          <ul className="space-y-4">
            {items.map((d) => (
              <li key={d.contract.id} data-testid="dispute-item">
                <Dispute dispute={d} />
              </li>
            ))}
          </ul>
          <LoadMore query={query} />
        </div>
      )}
    </QueryStates>
  );
}

function Dispute({ dispute: { work, contract: c } }: { dispute: DisputeJson }) {
  const [outcome, setOutcome] = useState<Outcome>("RELEASE");
  const [refund, setRefund] = useState("");
  const [reason, setReason] = useState("");
  const refundMicros = parseUsdToMicros(refund);
  const resolve = useAdminMutation(
    () => adminSend(`${QUEUE}/${work.id}/resolve`, "POST", { outcome, ...(outcome === "PARTIAL_REFUND" ? { refundMicros } : {}), reason: reason.trim() }),
    [QUEUE],
  );
  const fieldError = (path: string) => (resolve.error instanceof RequestFailure ? resolve.error.fieldErrors[path] : undefined);
  const partialOk = outcome !== "PARTIAL_REFUND" || (refundMicros !== null && refundMicros > 0 && refundMicros < c.priceMicros);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    resolve.mutate(undefined);
  };
  return (
    <Card
      title={
        <Link href={`/exchange/${work.id}`} className="underline">
          {work.title}
        </Link>
      }
      description={`Posted by ${work.buyer} · disputed ${timeAgo(c.disputedAt)} · contract ${formatUsdExact(c.priceMicros)} with ${c.provider.name}`}
    >
      <div className="space-y-4">
        <Alert tone="warning">The buyer&apos;s reason: “{c.disputeReason}”</Alert>
        <ContractTerms contract={c} />
        {c.deliveries.map((d) => (
          <DeliveryView key={d.id} delivery={d} />
        ))}
        <form onSubmit={submit} className="space-y-3 border-t border-slate-100 pt-4" aria-label={`Resolve the dispute on ${work.title}`}>
          <div className="grid gap-3 sm:grid-cols-2">
            <SelectField label="Outcome" value={outcome} onChange={(e) => setOutcome(e.target.value as Outcome)} error={fieldError("outcome")}>
              {OUTCOMES.map((o) => (
                <option key={o.value} value={o.value}>
                  {o.label}
                </option>
              ))}
            </SelectField>
            {outcome === "PARTIAL_REFUND" && (
              <Field
                label="Refund to the buyer (USD)"
                inputMode="decimal"
                value={refund}
                onChange={(e) => setRefund(e.target.value)}
                error={refund && !partialOk ? `Enter an amount above $0 and below ${formatUsdExact(c.priceMicros)}.` : fieldError("refundMicros")}
                hint={`Of the contract's ${formatUsdExact(c.priceMicros)}; the provider is paid the rest, minus the fee.`}
              />
            )}
          </div>
          <TextAreaField label="Reason" rows={2} value={reason} onChange={(e) => setReason(e.target.value)} error={fieldError("reason")} hint="Recorded on the ledger transfers and in the audit log; both sides read it." />
          <Button type="submit" pending={resolve.isPending} disabled={reason.trim().length < 3 || !partialOk}>
            Resolve
          </Button>
          {resolve.isError && <Alert tone="error">{resolve.error.message}</Alert>}
        </form>
      </div>
    </Card>
  );
}
