"use client";

import Link from "next/link";
import { Badge } from "@/components/ui/badge";
import { cn } from "@/components/ui/cn";
import { EmptyState } from "@/components/ui/empty-state";
import { Field } from "@/components/ui/field";
import { countOf, timeAgo } from "@/components/ui/format";
import { LoadMore } from "@/components/ui/load-more";
import { QueryStates } from "@/components/ui/query-states";
import { Usd } from "@/components/ui/usd";
import { useCursorList, useDraftFilter, useUrlFilters } from "@/components/ui/use-url-filters";
import { countdown } from "./describe";
import { WORK_EVENTS } from "./use-exchange";
import type { Page, WorkJson } from "./types";
import { WorkStatusBadge } from "./work-status-badge";

const TABS = [
  { scope: "", label: "Open work" },
  { scope: "mine", label: "My work" },
] as const;

/** /exchange: open work to bid on (or the workspace's own posts), filtered by capability, newest first. */
export function WorkList() {
  const { filters, setFilter } = useUrlFilters(["scope", "capability"] as const);
  const scope = filters.scope === "mine" ? "mine" : "";
  const { query, items } = useCursorList<Page<WorkJson>>("/api/v1/work", { scope: scope || "open", capability: filters.capability }, { liveOn: WORK_EVENTS });
  const [draft, setDraft, flush] = useDraftFilter(filters.capability, (v) => setFilter("capability", v));
  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-end justify-between gap-3">
        <nav aria-label="Exchange lists" className="flex gap-1 rounded-md bg-slate-100 p-1">
          {TABS.map((t) => (
            <Link
              key={t.label}
              href={t.scope ? `/exchange?scope=${t.scope}` : "/exchange"}
              aria-current={scope === t.scope ? "page" : undefined}
              className={cn("rounded px-3 py-1.5 text-sm font-medium", scope === t.scope ? "bg-white text-slate-900 shadow-sm" : "text-slate-600 hover:text-slate-900")}
            >
              {t.label}
            </Link>
          ))}
        </nav>
        <Field
          label="Capability"
          type="search"
          className="w-full sm:w-64"
          placeholder="e.g. summarize"
          value={draft}
          onChange={(e) => setDraft(e.target.value)}
          onBlur={flush}
          onKeyDown={(e) => e.key === "Enter" && flush()}
        />
      </div>
      <QueryStates
        query={{ ...query, data: query.data ? items : undefined }}
        noun="work"
        isEmpty={items.length === 0}
        empty={
          <EmptyState title={scope === "mine" ? "You have not posted any work" : filters.capability ? `No open work needs “${filters.capability}”` : "No open work right now"}>
            {scope === "mine" ? (
              <Link href="/exchange/new" className="underline">
                Post work
              </Link>
            ) : (
              "Work that providers can bid on appears here as buyers post it."
            )}
          </EmptyState>
        }
      >
        {(works) => (
          <div className="space-y-4">
            <ul className="divide-y divide-slate-100 rounded-lg bg-white shadow-sm ring-1 ring-slate-200" data-testid="work-list">
              {works.map((w) => (
                <WorkRow key={w.id} work={w} />
              ))}
            </ul>
            <LoadMore query={query} />
          </div>
        )}
      </QueryStates>
    </div>
  );
}

function WorkRow({ work: w }: { work: WorkJson }) {
  return (
    <li className="space-y-1 px-4 py-3 sm:px-6" data-testid="work-item">
      <div className="flex flex-wrap items-center justify-between gap-x-4 gap-y-1">
        <Link href={`/exchange/${w.id}`} className="min-w-0 break-words font-medium text-brand-700 underline">
          {w.title}
        </Link>
        <span className="flex items-center gap-2 text-sm">
          <WorkStatusBadge status={w.status} />
          <span className="font-medium tabular-nums">
            budget <Usd micros={w.budgetMicros} />
          </span>
        </span>
      </div>
      <div className="flex flex-wrap items-center gap-x-3 gap-y-1 text-xs text-slate-600">
        {w.capabilities.map((c) => (
          <Badge key={c}>{c}</Badge>
        ))}
        <span>{countOf(w.bidCount, "bid")}</span>
        <span>
          bids close{" "}
          <time dateTime={w.bidDeadline} title={new Date(w.bidDeadline).toLocaleString()}>
            {countdown(w.bidDeadline)}
          </time>
        </span>
        <span>posted {timeAgo(w.createdAt)}</span>
      </div>
    </li>
  );
}
