"use client";

import { useId, useState } from "react";
import type { CatalogFacets, FacetCount } from "@/lib/agents/catalog-facets";
import { buttonClass } from "@/components/ui/button";
import { cn } from "@/components/ui/cn";
import { formatNumber } from "@/components/ui/format";
import { dataKindLabels, type DataKind } from "@/lib/packages/accepts";

/** `accepts`: kinds of data, comma-separated (a package must accept every one). */
type Chosen = { category: string; capability: string; accepts: string };

const kindsOf = (accepts: string) => accepts.split(",").filter(Boolean);
/** `accepts` with `kind` added or taken out. */
const toggled = (accepts: string, kind: string) => {
  const kinds = kindsOf(accepts);
  return (kinds.includes(kind) ? kinds.filter((k) => k !== kind) : [...kinds, kind]).join(",");
};

/**
 * The catalog's filter chips, each with how many agents choosing it would list;
 * chips that would list none are left out (a chosen one stays, to unchoose it).
 * On a phone they fold behind a "Filters" button so the agents come first;
 * wider screens show them open, with only the most used capabilities until "All …" is pressed.
 */
export function CatalogFilters({ facets, chosen, onChoose }: { facets: CatalogFacets | undefined; chosen: Chosen; onChoose: (group: keyof Chosen, value: string) => void }) {
  const [open, setOpen] = useState(false);
  const panelId = useId();
  const active = [chosen.category, chosen.capability].filter(Boolean).length + kindsOf(chosen.accepts).length;
  return (
    <div className="space-y-3">
      <button type="button" className={buttonClass("secondary", "sm:hidden")} aria-expanded={open} aria-controls={panelId} onClick={() => setOpen(!open)}>
        {active ? `Filters (${active})` : "Filters"}
        <span aria-hidden className={cn("text-xs transition-transform", open && "rotate-180")}>
          ▾
        </span>
      </button>
      <div id={panelId} className={cn(open ? "flex" : "hidden", "flex-col gap-3 sm:flex")}>
        <ChipGroup label="Category" options={facets?.categories} atLeast={facets?.bounded} chosen={[chosen.category]} onToggle={(v) => onChoose("category", v === chosen.category ? "" : v)} />
        <ChipGroup
          label="Capability"
          options={facets?.capabilities}
          atLeast={facets?.bounded}
          chosen={[chosen.capability]}
          onToggle={(v) => onChoose("capability", v === chosen.capability ? "" : v)}
          limit={CAPABILITIES_SHOWN}
        />
        <ChipGroup
          label="Accepts my data"
          options={facets?.accepts}
          atLeast={facets?.bounded}
          chosen={kindsOf(chosen.accepts)}
          onToggle={(v) => onChoose("accepts", toggled(chosen.accepts, v))}
          labelOf={(v) => dataKindLabels[v as DataKind] ?? v}
        />
      </div>
    </div>
  );
}

/** Capability chips shown before "All …": the ones that list the most agents (and the chosen one). */
const CAPABILITIES_SHOWN = 12;

/** The `limit` chips that list the most agents, plus the chosen ones, in their original order. */
function mostUsed(options: FacetCount[], limit: number, chosen: string[]): FacetCount[] {
  const top = new Set([...options].sort((a, b) => b.count - a.count).slice(0, limit));
  return options.filter((o) => top.has(o) || chosen.includes(o.value));
}

/**
 * A group of chips; `chosen` holds the pressed ones (one at most in a single-choice group). `atLeast`: the counts
 * are among a very broad search's best candidates (lib/agents/catalog-match.ts RANK_CANDIDATES), shown as "12+".
 */
function ChipGroup({
  label,
  options = [],
  atLeast = false,
  chosen,
  onToggle,
  limit,
  labelOf = (v) => v,
}: {
  label: string;
  options: FacetCount[] | undefined;
  atLeast?: boolean;
  chosen: string[];
  onToggle: (v: string) => void;
  limit?: number;
  labelOf?: (value: string) => string;
}) {
  const [all, setAll] = useState(false);
  const available = options.filter((o) => o.count > 0 || chosen.includes(o.value));
  const shown = all || !limit ? available : mostUsed(available, limit, chosen);
  if (!available.length) return null;
  return (
    <div role="group" aria-label={label} className="flex flex-wrap items-center gap-2">
      <span className="text-xs font-semibold uppercase tracking-wide text-slate-600">{label}</span>
      {shown.map((o) => {
        const on = chosen.includes(o.value);
        return (
          <button
            key={o.value}
            type="button"
            aria-pressed={on}
            onClick={() => onToggle(o.value)}
            className={cn(
              "inline-flex items-center gap-1.5 rounded-full py-1 pl-3 pr-2 text-xs font-medium ring-1 ring-inset",
              on ? "bg-brand-600 text-white ring-brand-600" : "bg-white text-slate-700 ring-slate-300 hover:bg-slate-50",
            )}
          >
            {labelOf(o.value)}
            <span
              data-testid="chip-count"
              title={atLeast ? "At least this many: counted among the search's best-trusted matches" : undefined}
              className={cn("rounded-full px-1.5 tabular-nums", on ? "bg-brand-700 text-white" : "bg-slate-100 text-slate-700")}
            >
              {formatNumber(o.count)}
              {atLeast ? "+" : ""}
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
