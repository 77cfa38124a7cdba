import type { Metadata } from "next";
import { UpgradeComparison } from "@/components/upgrade/upgrade-comparison";
import { Breadcrumb } from "@/components/ui/breadcrumb";
import { PageHeader } from "@/components/ui/page-header";
import { requirePrincipal } from "@/lib/auth/current-principal";
import { orNotFound } from "@/lib/http/or-not-found";
import { getUpgradePreview } from "@/lib/packages/upgrade-preview";

export const metadata: Metadata = { title: "Upgrade preview" };

export default async function UpgradePreviewPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const principal = await requirePrincipal(`/upgrade-previews/${id}`);
  const preview = await orNotFound(getUpgradePreview(principal, id));
  return (
    <div className="space-y-6">
      <Breadcrumb parent={{ href: "/upgrade-previews", label: "Upgrade previews" }} current={`${preview.agent} ${preview.from} → ${preview.to}`} />
      <PageHeader title={`${preview.agent}: ${preview.from} → ${preview.to}`}>Your inputs run on both versions, side by side.</PageHeader>
      <UpgradeComparison initial={preview} />
    </div>
  );
}
