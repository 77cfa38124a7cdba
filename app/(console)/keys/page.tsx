import type { Metadata } from "next";
import { ApiKeysPanel } from "@/components/keys/api-keys-panel";
import { requirePrincipal } from "@/lib/auth/current-principal";
import { PageHeader } from "@/components/ui/page-header";

export const metadata: Metadata = { title: "API keys" };

export default async function KeysPage() {
  const principal = await requirePrincipal("/keys");
  return (
    <div className="space-y-6">
      <PageHeader title="API keys">For {principal.workspace.name}. Secrets are stored only as hashes.</PageHeader>
      <ApiKeysPanel />
    </div>
  );
}
