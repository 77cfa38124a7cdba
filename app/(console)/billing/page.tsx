import type { Metadata } from "next";
import { Suspense } from "react";
import { BillingPanel } from "@/components/billing/billing-panel";
import { PageHeader } from "@/components/ui/page-header";
import { requirePrincipal } from "@/lib/auth/current-principal";

export const metadata: Metadata = { title: "Billing" };

export default async function BillingPage() {
  const principal = await requirePrincipal("/billing");
  return (
    <div className="space-y-6">
      <PageHeader title="Billing">Credits, plan and invoices of {principal.workspace.name}.</PageHeader>
      <Suspense>
        <BillingPanel isAdmin={principal.isAdmin} />
      </Suspense>
    </div>
  );
}
