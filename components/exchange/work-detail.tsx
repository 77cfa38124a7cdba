"use client";

import { Alert } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { humanize } from "@/components/ui/format";
import { KeyValueList } from "@/components/ui/key-value-list";
import { Markdown } from "@/components/ui/markdown";
import { QueryStates } from "@/components/ui/query-states";
import { Usd } from "@/components/ui/usd";
import { BidRanking } from "./bid-ranking";
import { AcceptOrDispute, ContractCard } from "./contract-panel";
import { countdown, describeCheck } from "./describe";
import { DeliveryForm, ProviderBids } from "./provider-work-panel";
import type { WorkDetail } from "./types";
import { useCancelWork, useWork } from "./use-exchange";
import { WorkStatusBadge } from "./work-status-badge";

const time = (iso: string) => (
  <time dateTime={iso} title={new Date(iso).toLocaleString()}>
    {new Date(iso).toLocaleString()}
  </time>
);

/**
 * /exchange/[id], refreshed every few seconds until the work ends: the spec and its criteria for everyone who may
 * see it; the ranked bids, award, contract and accept/dispute for the buyer; bids and delivery for a provider
 * (`providerSlug`: the caller's provider, if its workspace is one).
 */
export function WorkDetailView({ id, providerSlug }: { id: string; providerSlug: string | null }) {
  const query = useWork(id);
  return (
    <QueryStates query={query} noun="the work">
      {(work) => {
        const ownContract = !!work.contract && work.contract.provider.slug === providerSlug;
        return (
          <div className="space-y-6">
            <div className="flex flex-wrap items-center gap-3">
              <h1 className="min-w-0 break-words text-2xl font-bold tracking-tight">{work.title}</h1>
              <WorkStatusBadge status={work.status} />
            </div>
            <Summary work={work} />
            {work.mine && work.status === "OPEN" && <BidRanking work={work} />}
            {work.mine && work.contract && <ContractCard work={work} actions={<AcceptOrDispute work={work} />} />}
            {!work.mine && providerSlug && (work.status === "OPEN" || work.bids.length > 0) && !ownContract && <ProviderBids work={work} />}
            {!work.mine && ownContract && <ContractCard work={work} actions={<DeliveryForm work={work} />} />}
            <Spec work={work} />
            <Timeline work={work} />
            {work.mine && work.status !== "OPEN" && work.bids.length > 0 && <BidRanking work={work} />}
          </div>
        );
      }}
    </QueryStates>
  );
}

function Summary({ work }: { work: WorkDetail }) {
  const cancel = useCancelWork(work.id);
  return (
    <Card>
      <div className="space-y-3">
        <KeyValueList
          rows={[
            ["Budget (held in escrow)", <Usd key="budget" micros={work.budgetMicros} exact testId="work-budget" />],
            ["Bids close", work.status === "OPEN" ? <span key="bid">{countdown(work.bidDeadline)} · {time(work.bidDeadline)}</span> : time(work.bidDeadline)],
            ["Delivery due", time(work.deliveryDeadline)],
            ["Bids", String(work.bidCount)],
            ["Visibility", work.visibility === "PUBLIC" ? "Public" : "Invited providers"],
            ["Awarded", work.autoAward ? "Automatically, to the best score" : "By the buyer"],
          ]}
        />
        {work.capabilities.length > 0 && (
          <p className="flex flex-wrap gap-1">
            {work.capabilities.map((c) => (
              <Badge key={c}>{c}</Badge>
            ))}
          </p>
        )}
        {work.mine && work.status === "OPEN" && (
          <Button
            variant="danger"
            pending={cancel.isPending}
            onClick={() => {
              if (window.confirm("Cancel this work? Its bids are dropped and your budget is released.")) cancel.mutate(undefined);
            }}
          >
            Cancel work
          </Button>
        )}
        {cancel.isError && <Alert tone="error">{cancel.error.message}</Alert>}
      </div>
    </Card>
  );
}

function Spec({ work }: { work: WorkDetail }) {
  return (
    <Card title="Specification">
      <div className="space-y-4">
        {work.description ? <Markdown>{work.description}</Markdown> : <p className="text-sm text-slate-500">No description.</p>}
        <details className="text-sm">
          <summary className="cursor-pointer text-brand-700 underline">Input</summary>
          <pre tabIndex={0} className="mt-2 max-h-80 overflow-auto rounded-md bg-slate-50 p-3 font-mono text-xs">
            {JSON.stringify(work.input, null, 2)}
          </pre>
        </details>
        <section className="space-y-2" data-testid="acceptance">
          <h3 className="text-sm font-semibold text-slate-900">Acceptance criteria</h3>
          <ul className="list-disc space-y-1 pl-5 text-sm text-slate-700">
            <li>The output matches the output schema.</li>
            {work.acceptance.checks.map((c, i) => (
              <li key={i}>{describeCheck(c)}</li>
            ))}
          </ul>
          <details className="text-sm">
            <summary className="cursor-pointer text-brand-700 underline">Output schema</summary>
            <pre tabIndex={0} className="mt-2 max-h-80 overflow-auto rounded-md bg-slate-50 p-3 font-mono text-xs">
              {JSON.stringify(work.acceptance.outputSchema, null, 2)}
            </pre>
          </details>
        </section>
      </div>
    </Card>
  );
}

function Timeline({ work }: { work: WorkDetail }) {
  return (
    <Card title="History">
      <ol className="space-y-2 text-sm" data-testid="work-events">
        {work.events.map((e) => (
          <li key={e.id} className="flex flex-wrap gap-x-3 gap-y-0.5">
            <span className="font-medium text-slate-900">{humanize(e.type)}</span>
            {e.toStatus && e.fromStatus !== e.toStatus && (
              <span className="text-slate-600">
                {e.fromStatus ? `${e.fromStatus.toLowerCase()} → ` : ""}
                {e.toStatus.toLowerCase()}
              </span>
            )}
            <span className="text-slate-500">{time(e.createdAt)}</span>
          </li>
        ))}
      </ol>
    </Card>
  );
}
