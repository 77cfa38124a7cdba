"use client";

import { useId, useState } from "react";
import type { CatalogFacets, FacetCount } from "@/lib/agents/catalog-facets";
import { buttonClass } from "@/components/ui/button";
import { cn } from "@/components/ui/cn";
import { formatNumber } from "@/components/ui/format";

type Chosen = { category: string; capability: string };

/**
 * The catalog's filter chips, each with how many agents choosing it would list;
 * chips that would list none are left out (a chosen one stays, to unchoose it).
 * On a phone they fold behind a "Filters" button so the agents come first;
 * wider screens show them open, with only the most used capabilities until "All …" is pressed.
 */
export function CatalogFilters({ facets, chosen, onChoose }: { facets: CatalogFacets | undefined; chosen: Chosen; onChoose: (group: keyof Chosen, value: string) => void }) {
  const [open, setOpen] = useState(false);
  const panelId = useId();
  const active = [chosen.category, chosen.capability].filter(Boolean).length;
  return (
    <div className="space-y-3">
      <button type="button" className={buttonClass("secondary", "sm:hidden")} aria-expanded={open} aria-controls={panelId} onClick={() => setOpen(!open)}>
        {active ? `Filters (${active})` : "Filters"}
        <span aria-hidden className={cn("text-xs transition-transform", open && "rotate-180")}>
          ▾
        </span>
      </button>
      <div id={panelId} className={cn(open ? "flex" : "hidden", "flex-col gap-3 sm:flex")}>
        <ChipGroup label="Category" options={facets?.categories} value={chosen.category} onChange={(v) => onChoose("category", v)} />
        <ChipGroup label="Capability" options={facets?.capabilities} value={chosen.capability} onChange={(v) => onChoose("capability", v)} limit={CAPABILITIES_SHOWN} />
      </div>
    </div>
  );
}

/** Capability chips shown before "All …": the ones that list the most agents (and the chosen one). */
const CAPABILITIES_SHOWN = 12;

/** The `limit` chips that list the most agents, plus the chosen one, in their original order. */
function mostUsed(options: FacetCount[], limit: number, value: string): FacetCount[] {
  const top = new Set([...options].sort((a, b) => b.count - a.count).slice(0, limit));
  return options.filter((o) => top.has(o) || o.value === value);
}

function ChipGroup({ label, options = [], value, onChange, limit }: { label: string; options: FacetCount[] | undefined; value: string; onChange: (v: string) => void; limit?: number }) {
  const [all, setAll] = useState(false);
  const available = options.filter((o) => o.count > 0 || o.value === value);
  const shown = all || !limit ? available : mostUsed(available, limit, value);
  if (!available.length) return null;
  return (
    <div role="group" aria-label={label} className="flex flex-wrap items-center gap-2">
      <span className="text-xs font-semibold uppercase tracking-wide text-slate-600">{label}</span>
      {shown.map((o) => {
        const on = value === o.value;
        return (
          <button
            key={o.value}
            type="button"
            aria-pressed={on}
            onClick={() => onChange(on ? "" : o.value)}
            className={cn(
              "inline-flex items-center gap-1.5 rounded-full py-1 pl-3 pr-2 text-xs font-medium ring-1 ring-inset",
              on ? "bg-brand-600 text-white ring-brand-600" : "bg-white text-slate-700 ring-slate-300 hover:bg-slate-50",
            )}
          >
            {o.value}
            <span data-testid="chip-count" className={cn("rounded-full px-1.5 tabular-nums", on ? "bg-brand-700 text-white" : "bg-slate-100 text-slate-700")}>
              {formatNumber(o.count)}
            </span>
          </button>
        );
      })}
      {shown.length < available.length || all ? (
        <button type="button" aria-expanded={all} onClick={() => setAll(!all)} className="rounded-full px-2 py-1 text-xs font-medium text-brand-700 underline">
          {all ? "Fewer" : `All ${formatNumber(available.length)} ${label.toLowerCase().replace(/y$/, "ie")}s`}
        </button>
      ) : null}
    </div>
  );
}
