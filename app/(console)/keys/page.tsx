import type { Metadata } from "next";
import { ApiKeysPanel } from "@/components/keys/api-keys-panel";
import { requirePrincipal } from "@/lib/auth/current-principal";

export const metadata: Metadata = { title: "API keys" };

export default async function KeysPage() {
  const principal = await requirePrincipal("/keys");
  return (
    <div className="space-y-6">
      <div>
        <h1 className="text-2xl font-bold tracking-tight">API keys</h1>
        <p className="mt-1 text-sm text-slate-600">For {principal.workspace.name}. Secrets are stored only as hashes.</p>
      </div>
      <ApiKeysPanel />
    </div>
  );
}
