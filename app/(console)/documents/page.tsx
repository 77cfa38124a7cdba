import type { Metadata } from "next";
import { DocumentsPanel } from "@/components/documents/documents-panel";
import { requirePrincipal } from "@/lib/auth/current-principal";
import { env } from "@/lib/env";

export const metadata: Metadata = { title: "Documents" };

export default async function DocumentsPage() {
  const principal = await requirePrincipal("/documents");
  return (
    <div className="space-y-6">
      <div>
        <h1 className="text-2xl font-bold tracking-tight">Documents</h1>
        <p className="mt-1 text-sm text-slate-600">
          {principal.workspace.name}&rsquo;s knowledge base. The Knowledge Base Agent, Ticket Resolver and Incident Responder search it; nobody outside this workspace can.
        </p>
      </div>
      <DocumentsPanel maxBytes={env().AGORA_DOCUMENT_MAX_BYTES} />
    </div>
  );
}
