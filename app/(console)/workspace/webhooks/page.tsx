import type { Metadata } from "next";
import Link from "next/link";
import { Alert } from "@/components/ui/alert";
import { PageHeader } from "@/components/ui/page-header";
import { WebhooksPanel } from "@/components/webhooks/webhooks-panel";
import { requirePrincipal } from "@/lib/auth/current-principal";

export const metadata: Metadata = { title: "Webhooks" };

export default async function WebhooksPage() {
  const principal = await requirePrincipal("/workspace/webhooks");
  return (
    <div className="space-y-6">
      <p className="text-sm text-slate-500">
        <Link href="/workspace" className="hover:underline">
          Workspace
        </Link>{" "}
        / Webhooks
      </p>
      <PageHeader title="Webhooks">
        {principal.workspace.name}&apos;s events, POSTed to your endpoints and signed (Standard Webhooks). Verify them with the secret shown when you add an endpoint.
      </PageHeader>
      {principal.role === "OWNER" ? <WebhooksPanel /> : <Alert tone="info">Only a workspace owner can manage webhooks.</Alert>}
    </div>
  );
}
