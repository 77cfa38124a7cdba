"use client";

import type { AgentCard as AgentCardData } from "@/lib/agents/catalog";
import { Alert } from "@/components/ui/alert";
import { cn } from "@/components/ui/cn";
import { EmptyState } from "@/components/ui/empty-state";
import { Field, SelectField } from "@/components/ui/field";
import { LoadMore } from "@/components/ui/load-more";
import { useCursorList, useDraftFilter, useUrlFilters } from "@/components/ui/use-url-filters";
import { AgentCard } from "./agent-card";

type Page = { data: AgentCardData[]; nextCursor: string | null; sort: string };

const sortLabels = { relevance: "Best match", popular: "Most runs", newest: "Newest", price: "Lowest price" } as const;
const FILTER_KEYS = ["q", "category", "capability", "sort"] as const;

/** The catalog: search as you type, filter chips and sort, all kept in the URL (shareable, back-button friendly). */
export function CatalogBrowser({ categories, capabilities }: { categories: string[]; capabilities: string[] }) {
  const { filters, setFilter } = useUrlFilters(FILTER_KEYS);
  // Search as you type, without a request per keystroke.
  const [text, setText, flushText] = useDraftFilter(filters.q, (q) => setFilter("q", q), 200);

  const { query, items: agents } = useCursorList<Page>("/api/v1/agents", filters);
  const activeSort = query.data?.pages[0]?.sort ?? (filters.q ? "relevance" : "popular");

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

      <ChipGroup label="Category" options={categories} value={filters.category} onChange={(v) => setFilter("category", v)} />
      <ChipGroup label="Capability" options={capabilities} value={filters.capability} onChange={(v) => setFilter("capability", v)} />

      {query.isError && <Alert tone="error">{query.error.message}</Alert>}
      <p className="text-sm text-slate-500" aria-live="polite">
        {query.isPending ? "Loading agents…" : `${agents.length}${query.hasNextPage ? "+" : ""} agent${agents.length === 1 ? "" : "s"}`}
        {query.isFetching && !query.isPending && " · updating…"}
      </p>
      {!query.isPending && agents.length === 0 ? (
        <EmptyState title="No agents match">Try fewer words, or clear the filters.</EmptyState>
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

function ChipGroup({ label, options, value, onChange }: { label: string; options: string[]; value: string; onChange: (v: string) => void }) {
  if (!options.length) return null;
  return (
    <div role="group" aria-label={label} className="flex flex-wrap items-center gap-2">
      <span className="text-xs font-semibold uppercase tracking-wide text-slate-500">{label}</span>
      {options.map((o) => {
        const on = value === o;
        return (
          <button
            key={o}
            type="button"
            aria-pressed={on}
            onClick={() => onChange(on ? "" : o)}
            className={cn(
              "rounded-full px-3 py-1 text-xs font-medium ring-1 ring-inset",
              on ? "bg-brand-600 text-white ring-brand-600" : "bg-white text-slate-700 ring-slate-300 hover:bg-slate-50",
            )}
          >
            {o}
          </button>
        );
      })}
    </div>
  );
}
