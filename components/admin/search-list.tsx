"use client";

import type { ReactNode } from "react";
import { Field } from "@/components/ui/field";
import { LoadMore } from "@/components/ui/load-more";
import { EmptyState } from "@/components/ui/empty-state";
import { QueryStates } from "@/components/ui/query-states";
import { useCursorList, useUrlFilters } from "@/components/ui/use-url-filters";

/** An admin list: filters in the URL (text fields), cursor pages, and a render function for the rows. */
export function SearchList<Row>({ path, filters, children, noun }: { path: string; filters: { key: string; label: string; type?: string }[]; noun: string; children: (rows: Row[]) => ReactNode }) {
  const { filters: values, setFilter } = useUrlFilters(filters.map((f) => f.key));
  const { query, items } = useCursorList<{ data: Row[]; nextCursor: string | null }>(path, values);
  return (
    <div className="space-y-4">
      <div className="grid gap-3 sm:grid-cols-3 lg:grid-cols-6">
        {filters.map((f) => (
          <Field key={f.key} label={f.label} type={f.type ?? "search"} value={values[f.key]} onChange={(e) => setFilter(f.key, e.target.value)} />
        ))}
      </div>
      <QueryStates query={{ ...query, data: query.data ? items : undefined }} noun={noun} isEmpty={items.length === 0} empty={<EmptyState title={`No ${noun} match`} />}>
        {(rows) => (
          <div className="space-y-3">
            <div className="overflow-x-auto rounded-lg bg-white shadow-sm ring-1 ring-slate-200">{children(rows)}</div>
            <LoadMore query={query} />
          </div>
        )}
      </QueryStates>
    </div>
  );
}
