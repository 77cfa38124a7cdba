import type { Metadata } from "next";
import { Suspense } from "react";
import { UsageDashboard } from "@/components/usage/usage-dashboard";
import { PageHeader } from "@/components/ui/page-header";
import { requirePrincipal } from "@/lib/auth/current-principal";

export const metadata: Metadata = { title: "Usage" };

export default async function UsagePage() {
  const principal = await requirePrincipal("/usage");
  return (
    <div className="space-y-6">
      <PageHeader title="Usage">What {principal.workspace.name} ran and spent, per day (UTC), from finished runs.</PageHeader>
      <Suspense>
        <UsageDashboard />
      </Suspense>
    </div>
  );
}
