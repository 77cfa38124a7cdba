"use client";

import { useInfiniteQuery } from "@tanstack/react-query";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useEffect, useState } from "react";
import type { AgentCard as AgentCardData } from "@/lib/agents/catalog";
import { apiFetch } from "@/lib/http/client-errors";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { cn } from "@/components/ui/cn";
import { EmptyState } from "@/components/ui/empty-state";
import { AgentCard } from "./agent-card";

type Page = { data: AgentCardData[]; nextCursor: string | null; sort: string };

const sortLabels = { relevance: "Best match", popular: "Most runs", newest: "Newest", price: "Lowest price" } as const;
const FILTER_KEYS = ["q", "category", "capability", "sort"] as const;

/** The catalog: search as you type, filter chips and sort, all kept in the URL (shareable, back-button friendly). */
export function CatalogBrowser({ categories, capabilities }: { categories: string[]; capabilities: string[] }) {
  const router = useRouter();
  const pathname = usePathname();
  const params = useSearchParams();
  const [text, setText] = useState(params.get("q") ?? "");
  const filters = Object.fromEntries(FILTER_KEYS.map((k) => [k, params.get(k) ?? ""])) as Record<(typeof FILTER_KEYS)[number], string>;

  const setParam = (key: (typeof FILTER_KEYS)[number], value: string) => {
    const next = new URLSearchParams(params);
    if (value) next.set(key, value);
    else next.delete(key);
    router.replace(`${pathname}${next.size ? `?${next}` : ""}`, { scroll: false });
  };

  // Search as you type, without a request per keystroke.
  useEffect(() => {
    if (text === (params.get("q") ?? "")) return;
    const timer = setTimeout(() => setParam("q", text.trim()), 200);
    return () => clearTimeout(timer);
    // eslint-disable-next-line react-hooks/exhaustive-deps -- setParam reads the latest params
  }, [text]);

  const query = useInfiniteQuery({
    queryKey: ["agents", filters],
    initialPageParam: "",
    queryFn: ({ pageParam, signal }) => {
      const qs = new URLSearchParams(Object.entries(filters).filter(([, v]) => v));
      if (pageParam) qs.set("cursor", pageParam);
      return apiFetch<Page>(`/api/v1/agents?${qs}`, { signal });
    },
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    placeholderData: (previous) => previous,
  });
  const agents = query.data?.pages.flatMap((p) => p.data) ?? [];
  const activeSort = query.data?.pages[0]?.sort ?? (filters.q ? "relevance" : "popular");

  return (
    <div className="space-y-5">
      <div className="flex flex-col gap-3 sm:flex-row sm:items-end">
        <div className="flex-1 space-y-1">
          <label htmlFor="catalog-search" className="block text-sm font-medium text-slate-800">
            Search agents
          </label>
          <input
            id="catalog-search"
            type="search"
            value={text}
            onChange={(e) => setText(e.target.value)}
            placeholder="secrets, csv, incidents…"
            className="block w-full rounded-md border-0 bg-white px-3 py-2 text-sm shadow-sm ring-1 ring-inset ring-slate-300 placeholder:text-slate-400 focus:ring-2 focus:ring-inset focus:ring-brand-500"
          />
        </div>
        <div className="space-y-1">
          <label htmlFor="catalog-sort" className="block text-sm font-medium text-slate-800">
            Sort by
          </label>
          <select
            id="catalog-sort"
            value={activeSort}
            onChange={(e) => setParam("sort", e.target.value)}
            className="block w-full rounded-md border-0 bg-white px-3 py-2 text-sm shadow-sm ring-1 ring-inset ring-slate-300 focus:ring-2 focus:ring-brand-500 sm:w-44"
          >
            {Object.entries(sortLabels).map(([value, label]) => (
              <option key={value} value={value} disabled={value === "relevance" && !filters.q}>
                {label}
              </option>
            ))}
          </select>
        </div>
      </div>

      <ChipGroup label="Category" options={categories} value={filters.category} onChange={(v) => setParam("category", v)} />
      <ChipGroup label="Capability" options={capabilities} value={filters.capability} onChange={(v) => setParam("capability", v)} />

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
      {query.hasNextPage && (
        <div className="flex justify-center">
          <Button variant="secondary" pending={query.isFetchingNextPage} onClick={() => query.fetchNextPage()}>
            Load more
          </Button>
        </div>
      )}
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
