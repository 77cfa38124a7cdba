import type { Metadata } from "next";
import Link from "next/link";
import { RoutingRulesPanel } from "@/components/routing/routing-rules-panel";
import { requirePrincipal } from "@/lib/auth/current-principal";
import { PageHeader } from "@/components/ui/page-header";

export const metadata: Metadata = { title: "Routing rules" };

export default async function RoutingPage() {
  const principal = await requirePrincipal("/routing");
  return (
    <div className="space-y-6">
      <PageHeader title="Routing rules">
        How {principal.workspace.name} routes tickets: the <Link href="/agents/escalation-manager" className="text-brand-700 underline">Escalation Manager</Link> takes the first
        enabled rule whose conditions all hold. Also editable through <code>/api/v1/routing-rules</code>.
      </PageHeader>
      <RoutingRulesPanel />
    </div>
  );
}
