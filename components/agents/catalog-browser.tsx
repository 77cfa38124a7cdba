"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import type { CatalogPage } from "@/lib/agents/catalog";
import { Alert } from "@/components/ui/alert";
import { cn } from "@/components/ui/cn";
import { EmptyState } from "@/components/ui/empty-state";
import { Field, SelectField } from "@/components/ui/field";
import { countOf } from "@/components/ui/format";
import { LoadMore } from "@/components/ui/load-more";
import { useCursorList, useDraftFilter, useUrlFilters } from "@/components/ui/use-url-filters";
import { AgentCard } from "./agent-card";
import { CatalogFilters } from "./catalog-filters";
import { RecommendationsRow } from "./recommendations-row";

const sortLabels = { relevance: "Best match", popular: "Most runs", newest: "Newest", price: "Lowest price" } as const;
const FILTER_KEYS = ["q", "category", "capability", "accepts", "provider", "sort"] as const;

/**
 * The catalog: search as you type (typos forgiven), filter chips with counts and sort, all kept in the URL (shareable, back-button friendly).
 * `recommend` (a signed-in workspace): recommendations above the grid while nothing is searched or filtered.
 */
export function CatalogBrowser({ recommend = false }: { recommend?: boolean }) {
  const { filters, setFilter } = useUrlFilters(FILTER_KEYS);
  // Search as you type, without a request per keystroke.
  const [text, setText, flushText] = useDraftFilter(filters.q, (q) => setFilter("q", q), 200);

  const { query, items: agents } = useCursorList<CatalogPage>("/api/v1/agents", filters);
  const first = query.data?.pages[0];
  const activeSort = first?.sort ?? (filters.q ? "relevance" : "popular");
  const clearHref = useClearedHref(filters.sort);
  const filtered = Boolean(filters.q || filters.category || filters.capability || filters.accepts || filters.provider);
  const clear = filtered && (
    <Link href={clearHref} scroll={false} className="font-medium text-brand-700 underline">
      Clear filters
    </Link>
  );

  return (
    <div className="space-y-5">
      <div className="flex flex-col gap-3 sm:flex-row sm:items-end">
        <Field label="Search agents" type="search" value={text} onChange={(e) => setText(e.target.value)} onBlur={flushText} onKeyDown={(e) => e.key === "Enter" && flushText()} placeholder="secrets, csv, incidents…" className="flex-1" />
        <SelectField label="Sort by" value={activeSort} onChange={(e) => setFilter("sort", e.target.value)} className="sm:w-44">
          {Object.entries(sortLabels).map(([value, label]) => (
            <option key={value} value={value} disabled={value === "relevance" && !filters.q}>
              {label}
            </option>
          ))}
        </SelectField>
      </div>

      <CatalogFilters facets={first?.facets} chosen={filters} onChoose={setFilter} />
      {filters.provider && (
        <p className="flex flex-wrap items-center gap-2 text-sm text-slate-700" data-testid="provider-filter">
          Published by{" "}
          <Link href={`/providers/${filters.provider}`} className="font-medium underline">
            {agents[0]?.provider?.name ?? filters.provider}
          </Link>
          <button type="button" onClick={() => setFilter("provider", "")} className="rounded px-1.5 text-brand-700 underline focus:outline-none focus-visible:ring-2 focus-visible:ring-brand-500">
            Any provider
          </button>
        </p>
      )}

      {query.isError && <Alert tone="error">{query.error.message}</Alert>}
      <p className="text-sm text-slate-600" aria-live="polite">
        {query.isPending ? "Loading agents…" : query.hasNextPage ? `${agents.length}+ agents` : countOf(agents.length, "agent")}
        {query.isFetching && !query.isPending && " · updating…"}
        {clear && agents.length > 0 && <> · {clear}</>}
      </p>
      {first?.similarWords && agents.length > 0 && (
        <Alert>
          Nothing matches “{filters.q}” exactly. Showing results for similar words.
        </Alert>
      )}
      {recommend && !filtered && <RecommendationsRow />}
      {!query.isPending && agents.length === 0 ? (
        <EmptyState title="No agents match">
          Try other words or fewer filters. {clear}
        </EmptyState>
      ) : (
        <ul className={cn("grid gap-4 sm:grid-cols-2 lg:grid-cols-3", query.isFetching && !query.isFetchingNextPage && "opacity-70")}>
          {agents.map((a) => (
            <AgentCard key={a.slug} agent={a} />
          ))}
        </ul>
      )}
      <LoadMore query={query} />
    </div>
  );
}

/** The catalog without search or chips, in the chosen order (best match needs a search, so it goes too). */
function useClearedHref(sort: string) {
  const pathname = usePathname();
  return sort && sort !== "relevance" ? `${pathname}?sort=${sort}` : pathname;
}
