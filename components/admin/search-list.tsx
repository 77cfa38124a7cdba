"use client";

import type { ReactNode } from "react";
import { Field, SelectField } from "@/components/ui/field";
import { LoadMore } from "@/components/ui/load-more";
import { EmptyState } from "@/components/ui/empty-state";
import { QueryStates } from "@/components/ui/query-states";
import { ScrollRegion } from "@/components/ui/scroll-region";
import { useCursorList, useDraftFilter, useUrlFilters } from "@/components/ui/use-url-filters";

export type ListFilter = { key: string; label: string; type?: string; /** a fixed set of values: a select, with "Any" */ options?: readonly string[] };

/** An admin list: filters in the URL (text fields or selects), cursor pages, and a render function for the rows. */
export function SearchList<Row>({ path, filters, children, noun }: { path: string; filters: ListFilter[]; noun: string; children: (rows: Row[]) => ReactNode }) {
  const { filters: values, setFilter } = useUrlFilters(filters.map((f) => f.key));
  const { query, items } = useCursorList<{ data: Row[]; nextCursor: string | null }>(path, values);
  return (
    <div className="space-y-4">
      <div className="grid gap-3 sm:grid-cols-3 lg:grid-cols-6">
        {filters.map((f) =>
          f.options ? (
            <SelectField key={f.key} label={f.label} value={values[f.key]} onChange={(e) => setFilter(f.key, e.target.value)}>
              <option value="">Any</option>
              {f.options.map((o) => (
                <option key={o} value={o}>
                  {o}
                </option>
              ))}
            </SelectField>
          ) : (
            <TextFilter key={f.key} filter={f} value={values[f.key] ?? ""} onCommit={(v) => setFilter(f.key, v)} />
          ),
        )}
      </div>
      <QueryStates query={{ ...query, data: query.data ? items : undefined }} noun={noun} isEmpty={items.length === 0} empty={<EmptyState title={`No ${noun} match`} />}>
        {(rows) => (
          <div className="space-y-3">
            <ScrollRegion label={`The ${noun}`} className="rounded-lg bg-white shadow-sm ring-1 ring-slate-200">
              {children(rows)}
            </ScrollRegion>
            <LoadMore query={query} />
          </div>
        )}
      </QueryStates>
    </div>
  );
}

/** A text or date filter: typing stays instant; the list and the URL follow when it pauses. */
function TextFilter({ filter, value, onCommit }: { filter: ListFilter; value: string; onCommit: (value: string) => void }) {
  const [draft, setDraft, flush] = useDraftFilter(value, onCommit);
  return <Field label={filter.label} type={filter.type ?? "search"} value={draft} onChange={(e) => setDraft(e.target.value)} onBlur={flush} onKeyDown={(e) => e.key === "Enter" && flush()} />;
}
