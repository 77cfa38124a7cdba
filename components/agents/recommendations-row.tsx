"use client";

import { useQuery } from "@tanstack/react-query";
import { apiFetch } from "@/components/api/fetch-json";
import type { Recommendation } from "@/lib/agents/recommendations";
import { AgentCard } from "./agent-card";

/**
 * "Recommended for your workspace": packages used by workspaces like it (or popular
 * ones), and the new-and-rising slot, each card with its reason. A row that scrolls
 * sideways on a phone; hidden when there is nothing to recommend or it cannot load
 * (the catalog below is the page's content).
 */
export function RecommendationsRow() {
  const q = useQuery({ queryKey: ["recommendations"], queryFn: async () => (await apiFetch<{ data: Recommendation[] }>("/api/v1/recommendations?limit=4")).data });
  if (!q.data?.length) return null;
  return (
    <section aria-labelledby="recommended-heading" className="space-y-3" data-testid="recommendations">
      <h2 id="recommended-heading" className="font-semibold text-slate-900">
        Recommended for your workspace
      </h2>
      <ul className="-mx-4 flex snap-x gap-4 overflow-x-auto px-4 pb-2 sm:mx-0 sm:grid sm:grid-cols-2 sm:overflow-visible sm:px-0 lg:grid-cols-4">
        {q.data.map((r) => (
          <AgentCard key={r.agent.slug} agent={r.agent} note={r.reason} className="w-72 shrink-0 snap-start sm:w-auto" />
        ))}
      </ul>
    </section>
  );
}
