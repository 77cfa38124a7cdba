import type { Metadata } from "next";
import Link from "next/link";
import { RoutingRulesPanel } from "@/components/routing/routing-rules-panel";
import { requirePrincipal } from "@/lib/auth/current-principal";

export const metadata: Metadata = { title: "Routing rules" };

export default async function RoutingPage() {
  const principal = await requirePrincipal("/routing");
  return (
    <div className="space-y-6">
      <div>
        <h1 className="text-2xl font-bold tracking-tight">Routing rules</h1>
        <p className="mt-1 text-sm text-slate-600">
          How {principal.workspace.name} routes tickets: the <Link href="/agents/escalation-manager" className="text-brand-700 hover:underline">Escalation Manager</Link> takes the first
          enabled rule whose conditions all hold. Also editable through <code>/api/v1/routing-rules</code>.
        </p>
      </div>
      <RoutingRulesPanel />
    </div>
  );
}
