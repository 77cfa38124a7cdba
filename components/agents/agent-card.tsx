import Link from "next/link";
import type { AgentCard as AgentCardData } from "@/lib/agents/catalog";
import type { RankJson } from "@/lib/agents/catalog-rank";
import { PRICE_WEIGHT, TEXT_WEIGHT, TRUST_WEIGHT } from "@/lib/agents/rank-weights";
import { Badge } from "@/components/ui/badge";
import { cn } from "@/components/ui/cn";
import { countOf, formatUsd } from "@/components/ui/format";
import { PublishedBy } from "./published-by";

/** `price: false` where the page states the price itself (the agent page's AgentPrice): one price line, not two. */
export function AgentStats({ agent, price = true }: { agent: Pick<AgentCardData, "baseFeeMicros" | "runs" | "successRate">; price?: boolean }) {
  return (
    <dl className="flex flex-wrap gap-x-4 gap-y-1 text-xs text-slate-600">
      {price && (
        <div>
          <dt className="sr-only">Price</dt>
          <dd>
            <span className="font-semibold text-slate-900">{formatUsd(agent.baseFeeMicros)}</span> per run + model usage
          </dd>
        </div>
      )}
      <div>
        <dt className="sr-only">Runs</dt>
        <dd>{agent.runs === 0 ? "no runs yet" : countOf(agent.runs, "run")}</dd>
      </div>
      {agent.successRate !== null && (
        <div>
          <dt className="sr-only">Success rate</dt>
          <dd>{Math.round(agent.successRate * 100)}% succeeded</dd>
        </div>
      )}
    </dl>
  );
}

/** `rank`: a catalog result's score and its explanation, behind a "Why this result" disclosure; `note`: a line on top (a recommendation's reason). */
export function AgentCard({ agent, note, className }: { agent: AgentCardData & { rank?: RankJson }; note?: string; className?: string }) {
  return (
    <li className={cn("relative flex flex-col gap-3 rounded-lg bg-white p-5 shadow-sm ring-1 ring-slate-200 focus-within:ring-2 focus-within:ring-brand-500 hover:ring-slate-300", className)}>
      <div className="flex items-start justify-between gap-3">
        <h2 className="font-semibold text-slate-900">
          <Link href={`/agents/${agent.slug}`} className="after:absolute after:inset-0 focus:outline-none">
            {agent.name}
          </Link>
        </h2>
        <Badge tone="brand">{agent.category}</Badge>
      </div>
      {note && <p className="text-xs font-medium text-brand-700">{note}</p>}
      <PublishedBy provider={agent.provider} />
      <p className="flex-1 text-sm text-slate-600">{agent.summary}</p>
      <ul className="flex flex-wrap gap-1" aria-label="Capabilities">
        {agent.capabilities.map((c) => (
          <li key={c}>
            <Badge>{c}</Badge>
          </li>
        ))}
      </ul>
      <AgentStats agent={agent} />
      {agent.rank && <WhyThisResult rank={agent.rank} />}
    </li>
  );
}

const percent = (x: number) => `${Math.round(x * 100)}`;

/** Above the card's full-size link, so it opens with a click or Enter/Space like any disclosure. */
function WhyThisResult({ rank }: { rank: RankJson }) {
  return (
    <details className="relative z-10 text-xs text-slate-600" data-testid="why-this-result">
      <summary className="w-fit cursor-pointer rounded font-medium text-brand-700 underline focus:outline-none focus-visible:ring-2 focus-visible:ring-brand-500">Why this result</summary>
      <p className="mt-1">{rank.explanation}.</p>
      <p className="mt-1 tabular-nums text-slate-500">
        Score {percent(rank.score)} = {percent(TEXT_WEIGHT)} % text {percent(rank.text)} + {percent(TRUST_WEIGHT)} % trust {percent(rank.trust)} + {percent(PRICE_WEIGHT)} % price{" "}
        {percent(rank.price)}
      </p>
    </details>
  );
}
