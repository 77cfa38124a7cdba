import type { Metadata } from "next";
import { ProviderExchange } from "@/components/exchange/provider-exchange";
import { Breadcrumb } from "@/components/ui/breadcrumb";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { requirePrincipal } from "@/lib/auth/current-principal";
import { getWorkspaceProvider } from "@/lib/providers/providers";

export const metadata: Metadata = { title: "Exchange · Provider" };

export default async function ProviderExchangePage() {
  const principal = await requirePrincipal("/provider/exchange");
  const provider = await getWorkspaceProvider(principal.workspace.id);
  return (
    <div className="space-y-6">
      <Breadcrumb parent={{ href: "/provider", label: "Provider" }} current="Exchange" />
      <PageHeader title="Bids and contracts">Your work on the exchange: bids placed by you or your packages, and the contracts you won.</PageHeader>
      {provider ? <ProviderExchange /> : <EmptyState title="This workspace is not a provider yet">Set up a provider profile on the Provider page to bid on work.</EmptyState>}
    </div>
  );
}
