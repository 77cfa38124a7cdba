import type { Metadata } from "next";
import Link from "next/link";
import { ProviderMoney } from "@/components/provider/provider-money";
import { ProviderPackages } from "@/components/provider/provider-packages";
import { ProviderProfileForm } from "@/components/provider/provider-profile-form";
import { ProviderRuns } from "@/components/provider/provider-runs";
import { ProviderTrust } from "@/components/provider/provider-trust";
import { SigningSecrets } from "@/components/provider/signing-secrets";
import { PageHeader } from "@/components/ui/page-header";
import { requirePrincipal } from "@/lib/auth/current-principal";
import { can } from "@/lib/auth/permissions";
import { getWorkspaceProvider } from "@/lib/providers/providers";

export const metadata: Metadata = { title: "Provider" };

/** The provider's dashboard: one section after another (profile, packages, runs of them; earnings and payouts go with them). */
export default async function ProviderSettingsPage() {
  const principal = await requirePrincipal("/provider");
  const profile = await getWorkspaceProvider(principal.workspace.id);
  const canManage = can(principal, "provider.manage");
  return (
    <div className="space-y-6">
      <PageHeader title="Provider">Publish agents on Agora as {principal.workspace.name}: your public name, page and support contact.</PageHeader>
      {profile && (
        <p className="text-sm">
          <Link href="/provider/exchange" className="font-medium text-brand-700 underline">
            Your bids and contracts on the exchange
          </Link>
        </p>
      )}
      <ProviderProfileForm initial={profile} canEdit={canManage} />
      {profile && canManage && (
        <>
          <ProviderPackages />
          <ProviderTrust />
          <ProviderMoney />
          <ProviderRuns />
          <SigningSecrets />
        </>
      )}
    </div>
  );
}
