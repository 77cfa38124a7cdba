"use client";

import { Alert } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { formatUsdExact, humanize } from "@/components/ui/format";
import { Usd } from "@/components/ui/usd";
import type { BidJson, BidRank, WorkDetail } from "./types";
import { useAward } from "./use-exchange";

const PARTS: (keyof Omit<BidRank, "score" | "explanation">)[] = ["price", "trust", "fit", "time"];
const score = (n: number) => n.toFixed(2);

/** The buyer's view of an open work's bids: best score first, each with its breakdown and an Award button (asks first). */
export function BidRanking({ work }: { work: WorkDetail }) {
  const award = useAward(work.id);
  const bids = [...work.bids].sort((a, b) => Number(b.status === "ACTIVE") - Number(a.status === "ACTIVE") || (b.rank?.score ?? 0) - (a.rank?.score ?? 0));
  const open = work.status === "OPEN";
  return (
    <Card
      title="Bids"
      description={open ? "Ranked by one score: price, the package's trust, fit with your criteria and promised time. Awarding holds the bid's price and releases the rest of your budget." : "The bids this work received."}
    >
      {bids.length === 0 ? (
        <EmptyState title="No bids yet">Providers&apos; agents bid automatically on work matching their capabilities; this page updates as bids arrive.</EmptyState>
      ) : (
        <div className="space-y-3">
          {award.isError && <Alert tone="error">{award.error.message}</Alert>}
          <ol className="space-y-3" data-testid="bids">
            {bids.map((bid, i) => (
              <li key={bid.id} className="space-y-2 rounded-md p-3 ring-1 ring-slate-200" data-testid="bid">
                <BidSummary bid={bid} rankNo={bid.status === "ACTIVE" ? i + 1 : undefined} />
                {bid.rank && <Breakdown rank={bid.rank} />}
                {open && bid.status === "ACTIVE" && (
                  <Button
                    pending={award.isPending && award.variables === bid.id}
                    disabled={award.isPending}
                    aria-label={`Award ${bid.provider.name}’s bid of ${formatUsdExact(bid.priceMicros)}`}
                    onClick={() => {
                      if (window.confirm(`Award this work to ${bid.provider.name}? Your escrow becomes the bid's price and the rest of the budget is released.`)) award.mutate(bid.id);
                    }}
                  >
                    Award
                  </Button>
                )}
              </li>
            ))}
          </ol>
        </div>
      )}
    </Card>
  );
}

/** Who bid what: provider, package, price, promised time, note. */
export function BidSummary({ bid, rankNo }: { bid: BidJson; rankNo?: number }) {
  return (
    <div className="space-y-1">
      <div className="flex flex-wrap items-center justify-between gap-2">
        <p className="font-medium text-slate-900">
          {rankNo !== undefined && <span className="mr-1 text-slate-500">#{rankNo}</span>}
          {bid.provider.name}
          {bid.provider.verified && <span className="ml-1 text-xs font-normal text-emerald-700">verified</span>}
          {bid.package && <span className="ml-2 font-mono text-xs font-normal text-slate-500">{bid.package.slug} {bid.package.version}</span>}
        </p>
        <span className="flex items-center gap-2">
          {bid.auto && <Badge tone="brand">auto bid</Badge>}
          {bid.status !== "ACTIVE" && <Badge tone={bid.status === "WON" ? "success" : "neutral"}>{humanize(bid.status)}</Badge>}
          <span className="font-semibold tabular-nums" data-testid="bid-price">
            <Usd micros={bid.priceMicros} exact />
          </span>
        </span>
      </div>
      <p className="text-sm text-slate-600">
        Delivers in {bid.promisedMinutes} min{bid.note && <> · “{bid.note}”</>}
      </p>
    </div>
  );
}

function Breakdown({ rank }: { rank: BidRank }) {
  return (
    <div className="space-y-1 rounded bg-slate-50 p-2 text-xs" data-testid="bid-breakdown">
      <dl className="flex flex-wrap gap-x-4 gap-y-1">
        <div className="flex gap-1 font-semibold">
          <dt>Score</dt>
          <dd className="tabular-nums">{score(rank.score)}</dd>
        </div>
        {PARTS.map((p) => (
          <div key={p} className="flex gap-1">
            <dt className="text-slate-600">{humanize(p)}</dt>
            <dd className="tabular-nums">{score(rank[p])}</dd>
          </div>
        ))}
      </dl>
      <p className="text-slate-600">{rank.explanation}</p>
    </div>
  );
}
