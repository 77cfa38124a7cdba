import type { Metadata } from "next";
import { DocumentsPanel } from "@/components/documents/documents-panel";
import { requirePrincipal } from "@/lib/auth/current-principal";
import { env } from "@/lib/env";
import { PageHeader } from "@/components/ui/page-header";

export const metadata: Metadata = { title: "Documents" };

export default async function DocumentsPage() {
  const principal = await requirePrincipal("/documents");
  return (
    <div className="space-y-6">
      <PageHeader title="Documents">
        {principal.workspace.name}&rsquo;s knowledge base. The Knowledge Base Agent, Ticket Resolver and Incident Responder search it; nobody outside this workspace can.
      </PageHeader>
      <DocumentsPanel maxBytes={env().AGORA_DOCUMENT_MAX_BYTES} />
    </div>
  );
}
