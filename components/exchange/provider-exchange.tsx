"use client";

import Link from "next/link";
import type { ReactNode } from "react";
import { Badge } from "@/components/ui/badge";
import { Card } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { humanize, timeAgo } from "@/components/ui/format";
import { LoadMore } from "@/components/ui/load-more";
import { QueryStates } from "@/components/ui/query-states";
import { StackedTable } from "@/components/ui/stacked-table";
import { Usd } from "@/components/ui/usd";
import { WORK_EVENTS } from "./use-exchange";
import { useCursorList } from "@/components/ui/use-url-filters";
import { feeText, shareAfterFee } from "./describe";
import type { Page, ProviderBid, ProviderContract } from "./types";
import { WorkStatusBadge } from "./work-status-badge";

const workLink = (w: { id: string; title: string }) => (
  <Link href={`/exchange/${w.id}`} className="break-words text-brand-700 underline">
    {w.title}
  </Link>
);

/** A provider's list (bids or contracts): a stacked table on phones, Load more under it. */
function ProviderList<Row extends { id: string }>({ path, title, description, noun, empty, columns, testId, row }: {
  path: string;
  title: string;
  description: string;
  noun: string;
  empty: ReactNode;
  columns: string[];
  testId: string;
  row: (r: Row) => ReactNode[];
}) {
  const { query, items } = useCursorList<Page<Row>>(path, {}, { liveOn: WORK_EVENTS });
  return (
    <Card title={title} description={description}>
      <QueryStates query={query} noun={noun} isEmpty={items.length === 0} empty={empty}>
        {() => (
          <div className="space-y-4">
            <StackedTable columns={columns} testId={testId} minWidth="sm:min-w-[40rem]" rows={items.map((r) => ({ key: r.id, cells: row(r) }))} />
            <LoadMore query={query} />
          </div>
        )}
      </QueryStates>
    </Card>
  );
}

/** /provider/exchange: the provider's bids and contracts on the work exchange. */
export function ProviderExchange() {
  return (
    <div className="space-y-6">
      <ProviderList<ProviderBid>
        path="/api/v1/provider/bids"
        title="Bids"
        description="Every bid of yours and your packages' bid policies, newest first."
        noun="bids"
        testId="provider-bids"
        empty={
          <EmptyState title="No bids yet">
            Bid on{" "}
            <Link href="/exchange" className="underline">
              open work
            </Link>
            , or give a package a bid policy to bid automatically.
          </EmptyState>
        }
        columns={["Work", "Package", "Price", "Bid", "Work status", "When"]}
        row={(b) => [
          workLink(b.work),
          b.package ? <span className="font-mono text-xs">{b.package.slug} {b.package.version}</span> : "by hand",
          <Usd key="price" micros={b.priceMicros} exact className="tabular-nums" />,
          <span key="status" className="flex gap-1">
            <Badge tone={b.status === "WON" ? "success" : "neutral"}>{humanize(b.status)}</Badge>
            {b.auto && <Badge tone="brand">auto</Badge>}
          </span>,
          <WorkStatusBadge key="work" status={b.work.status} />,
          <time key="when" dateTime={b.createdAt}>
            {timeAgo(b.createdAt)}
          </time>,
        ]}
      />
      <ProviderList<ProviderContract>
        path="/api/v1/provider/contracts"
        title="Contracts"
        description="Work awarded to you. Your share is the price after the platform's fee; it is credited when the buyer accepts and matures like run earnings."
        noun="contracts"
        testId="provider-contracts"
        empty={<EmptyState title="No contracts yet">Work awarded to one of your bids appears here.</EmptyState>}
        columns={["Work", "Status", "Price", "Your share", "Delivery due"]}
        row={(c) => [
          workLink(c.work),
          <WorkStatusBadge key="status" status={c.work.status} />,
          <Usd key="price" micros={c.priceMicros} exact className="tabular-nums" />,
          <span key="share" className="tabular-nums">
            <Usd micros={shareAfterFee(c.priceMicros, c.feeBps)} exact /> <span className="text-xs text-slate-500">after {feeText(c.feeBps)}</span>
          </span>,
          <time key="due" dateTime={c.deliveryDeadline}>
            {new Date(c.deliveryDeadline).toLocaleString()}
          </time>,
        ]}
      />
    </div>
  );
}
