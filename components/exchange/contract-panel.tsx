"use client";

import Link from "next/link";
import { useState, type FormEvent, type ReactNode } from "react";
import { Alert } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { TextAreaField } from "@/components/ui/field";
import { formatUsdExact, humanize, timeAgo } from "@/components/ui/format";
import { KeyValueList } from "@/components/ui/key-value-list";
import { Usd } from "@/components/ui/usd";
import { feeText, shareAfterFee } from "./describe";
import type { ContractJson, DeliveryJson, WorkDetail } from "./types";
import { useAccept, useDispute } from "./use-exchange";

const VERDICT_TONE = { PENDING: "neutral", PASSED: "success", FAILED: "danger" } as const;
const OUTCOME = { RELEASE: "Released to the provider", PARTIAL_REFUND: "Partly refunded", FULL_REFUND: "Fully refunded" } as const;

const when = (iso: string) => (
  <time dateTime={iso} title={new Date(iso).toLocaleString()}>
    {new Date(iso).toLocaleString()}
  </time>
);

/** The contract's terms and state: price, fee, the provider's share, deadlines, and a resolution. */
export function ContractTerms({ contract: c }: { contract: ContractJson }) {
  return (
    <KeyValueList
      rows={[
        ["Provider", `${c.provider.name}${c.package ? ` · ${c.package.slug} ${c.package.version}` : ""}`],
        ["Price (held in escrow)", <Usd key="price" micros={c.priceMicros} exact testId="contract-price" />],
        [`Platform fee (${feeText(c.feeBps)})`, <Usd key="fee" micros={c.priceMicros - shareAfterFee(c.priceMicros, c.feeBps)} exact />],
        ["Provider's share", <Usd key="share" micros={shareAfterFee(c.priceMicros, c.feeBps)} exact />],
        ["Delivery due", when(c.deliveryDeadline)],
        ["Deliveries made", `${c.attempts} of 2`],
        ...(c.autoAcceptAt && !c.settledAt && !c.disputedAt ? ([["Accepted automatically", when(c.autoAcceptAt)]] as [string, ReactNode][]) : []),
        ...(c.settledAt ? ([["Settled", when(c.settledAt)]] as [string, ReactNode][]) : []),
      ]}
    />
  );
}

/** One delivery: its verdict, each check's result, the output and the run that made it. */
export function DeliveryView({ delivery: d }: { delivery: DeliveryJson }) {
  return (
    <article className="space-y-2 rounded-md p-3 ring-1 ring-slate-200" data-testid="delivery">
      <div className="flex flex-wrap items-center justify-between gap-2">
        <h3 className="text-sm font-semibold text-slate-900">Delivery {d.attempt}</h3>
        <span className="flex items-center gap-2 text-xs text-slate-500">
          {d.runId ? (
            <Link href={`/runs/${d.runId}`} className="text-brand-700 underline">
              by run {d.runId.slice(0, 10)}…
            </Link>
          ) : (
            "uploaded by hand"
          )}
          · {timeAgo(d.createdAt)}
          <span data-testid="delivery-verdict">
            <Badge tone={VERDICT_TONE[d.verdict]}>{d.verdict === "PENDING" ? "checking…" : d.verdict.toLowerCase()}</Badge>
          </span>
        </span>
      </div>
      {d.checks.length > 0 && (
        <ul className="space-y-1 text-sm" data-testid="delivery-checks">
          {d.checks.map((c, i) => (
            <li key={i} className="flex gap-2">
              <span className={c.passed ? "text-emerald-700" : "text-red-700"} aria-hidden>
                {c.passed ? "✓" : "✗"}
              </span>
              <span>
                <span className="sr-only">{c.passed ? "Passed: " : "Failed: "}</span>
                {humanize(c.name)}
                {c.message && <span className="text-slate-500"> — {c.message}</span>}
              </span>
            </li>
          ))}
        </ul>
      )}
      {d.output !== null && d.output !== undefined && (
        <details className="text-sm">
          <summary className="cursor-pointer text-brand-700 underline">View output</summary>
          <pre tabIndex={0} className="mt-2 max-h-80 overflow-auto rounded-md bg-slate-50 p-3 font-mono text-xs">
            {JSON.stringify(d.output, null, 2)}
          </pre>
        </details>
      )}
    </article>
  );
}

/** The contract card; `actions` is the buyer's accept/dispute or the provider's delivery form. */
export function ContractCard({ work, actions }: { work: WorkDetail; actions?: ReactNode }) {
  const c = work.contract!;
  return (
    <Card title="Contract" description={`Awarded to ${c.provider.name}.`}>
      <div className="space-y-4" data-testid="contract">
        <ContractTerms contract={c} />
        {c.deliveries.map((d) => (
          <DeliveryView key={d.id} delivery={d} />
        ))}
        {c.deliveries.length === 0 && <p className="text-sm text-slate-500">No delivery yet.</p>}
        {c.disputedAt && (
          <Alert tone="warning">
            Disputed {timeAgo(c.disputedAt)}: “{c.disputeReason}”.
            {c.outcome ? ` ${OUTCOME[c.outcome]}${c.refundMicros ? ` (refund ${formatUsdExact(c.refundMicros)})` : ""}: “${c.resolutionReason}”.` : " An admin will resolve it."}
          </Alert>
        )}
        {actions}
      </div>
    </Card>
  );
}

/** The buyer's choice on a passed delivery: accept now (settles), or dispute with a reason before it auto-accepts. */
export function AcceptOrDispute({ work }: { work: WorkDetail }) {
  const accept = useAccept(work.id);
  const dispute = useDispute(work.id);
  const [reason, setReason] = useState("");
  const submitDispute = (e: FormEvent) => {
    e.preventDefault();
    dispute.mutate(reason.trim());
  };
  if (work.status !== "DELIVERED") return null;
  return (
    <div className="space-y-3 border-t border-slate-100 pt-4">
      <p className="text-sm text-slate-700">The delivery passed its checks. Accept it to pay the provider, or dispute it with a reason an admin will read.</p>
      <Button pending={accept.isPending} disabled={dispute.isPending} onClick={() => accept.mutate(undefined)}>
        Accept and pay
      </Button>
      <form onSubmit={submitDispute} className="flex flex-col gap-3 sm:flex-row sm:items-end" aria-label="Dispute the delivery">
        <TextAreaField label="Reason to dispute" rows={2} className="min-w-0 flex-1" value={reason} onChange={(e) => setReason(e.target.value)} hint="At least 10 characters: what is wrong with the delivery." />
        <Button type="submit" variant="danger" pending={dispute.isPending} disabled={accept.isPending || reason.trim().length < 10}>
          Dispute
        </Button>
      </form>
      {(accept.error ?? dispute.error) && <Alert tone="error">{(accept.error ?? dispute.error)!.message}</Alert>}
    </div>
  );
}
