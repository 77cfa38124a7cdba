import type { Metadata } from "next";
import { Suspense } from "react";
import { CatalogBrowser } from "@/components/agents/catalog-browser";
import { catalogFacets } from "@/lib/agents/catalog";

export const metadata: Metadata = { title: "Agents" };
export const dynamic = "force-dynamic";

export default async function AgentsPage() {
  const facets = await catalogFacets();
  return (
    <div className="space-y-6">
      <div>
        <h1 className="text-2xl font-bold tracking-tight">Agents</h1>
        <p className="mt-1 text-sm text-slate-600">Packages with typed input and output and server-side tools that do real work. Price is per run plus the model tokens used.</p>
      </div>
      <Suspense>
        <CatalogBrowser categories={facets.categories} capabilities={facets.capabilities} />
      </Suspense>
    </div>
  );
}
