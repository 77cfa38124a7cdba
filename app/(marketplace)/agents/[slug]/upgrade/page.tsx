import type { Metadata } from "next";
import { UpgradePreviewForm } from "@/components/upgrade/upgrade-preview-form";
import { Breadcrumb } from "@/components/ui/breadcrumb";
import { PageHeader } from "@/components/ui/page-header";
import { getAgent } from "@/lib/agents/catalog";
import { requirePrincipal } from "@/lib/auth/current-principal";
import { orNotFound } from "@/lib/http/or-not-found";
import { upgradeCandidates } from "@/lib/packages/upgrade-preview";

export const metadata: Metadata = { title: "Try another version" };

/** An upgrade preview's first step: versions, inputs, quote (signed-in only). */
export default async function UpgradePage({ params }: { params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  const principal = await requirePrincipal(`/agents/${slug}/upgrade`);
  const [agent, candidates] = await Promise.all([orNotFound(getAgent(slug)), orNotFound(upgradeCandidates(principal, slug))]);
  return (
    <div className="space-y-6">
      <Breadcrumb parent={{ href: `/agents/${slug}`, label: agent.name }} current="Try another version" />
      <PageHeader title={`Try another version of ${agent.name}`}>
        Rerun up to {candidates.maxInputs} of your recent inputs on another version and compare status, price, duration and output. Each input is a normal run, charged at its
        price.
      </PageHeader>
      <UpgradePreviewForm initial={candidates} />
    </div>
  );
}
