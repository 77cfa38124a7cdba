import type { Metadata } from "next";
import { Suspense } from "react";
import { CatalogBrowser } from "@/components/agents/catalog-browser";
import { PageHeader } from "@/components/ui/page-header";
import { currentPrincipal } from "@/lib/auth/current-principal";

export const metadata: Metadata = { title: "Agents" };

export default async function AgentsPage() {
  const principal = await currentPrincipal();
  return (
    <div className="space-y-6">
      <PageHeader title="Agents">Packages with typed input and output and server-side tools that do real work. Price is per run plus the model tokens used.</PageHeader>
      <Suspense>
        <CatalogBrowser recommend={principal !== null} />
      </Suspense>
    </div>
  );
}
