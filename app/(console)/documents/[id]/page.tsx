import type { Metadata } from "next";
import { DeleteDocumentButton } from "@/components/documents/delete-document-button";
import { Breadcrumb } from "@/components/ui/breadcrumb";
import { countOf, formatBytes } from "@/components/ui/format";
import { KeyValueList } from "@/components/ui/key-value-list";
import { requirePrincipal } from "@/lib/auth/current-principal";
import { orNotFound } from "@/lib/http/or-not-found";
import { getDocument } from "@/lib/knowledge/documents";

export const metadata: Metadata = { title: "Document" };

export default async function DocumentPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const principal = await requirePrincipal(`/documents/${id}`);
  const doc = await orNotFound(getDocument(principal.workspace.id, id));
  return (
    <div className="space-y-6">
      <Breadcrumb parent={{ href: "/documents", label: "Documents" }} current={doc.title} />
      <div className="flex flex-wrap items-start justify-between gap-4">
        <div>
          <h1 className="text-2xl font-bold tracking-tight">{doc.title}</h1>
          <KeyValueList
            className="mt-2 max-w-xl"
            rows={[
              ["Source", doc.source],
              ["Format", doc.format.toLowerCase()],
              ["Size", `${formatBytes(doc.sizeBytes)} · ${countOf(doc.tokenCount, "token")}`],
              ["Added", `${new Date(doc.createdAt).toLocaleString("en-GB", { timeZone: "UTC" })} UTC${doc.createdBy ? ` by ${doc.createdBy}` : ""}`],
            ]}
          />
        </div>
        <DeleteDocumentButton id={doc.id} title={doc.title} />
      </div>
      <section aria-labelledby="chunks-heading" className="space-y-3">
        <h2 id="chunks-heading" className="text-lg font-semibold">
          {countOf(doc.chunks.length, "chunk")}
        </h2>
        {doc.chunks.map((c) => (
          <article
            key={c.id}
            id={`chunk-${c.id}`}
            data-testid="chunk"
            className="scroll-mt-20 rounded-lg bg-white p-4 shadow-sm ring-1 ring-slate-200 target:ring-2 target:ring-amber-400"
          >
            <header className="mb-2 flex flex-wrap items-baseline justify-between gap-2 text-xs text-slate-500">
              <span className="font-medium text-slate-700">
                Chunk {c.seq}
                {c.heading && ` · ${c.heading}`}
              </span>
              <span>{countOf(c.tokenCount, "token")}</span>
            </header>
            <pre className="whitespace-pre-wrap break-words font-sans text-sm text-slate-800">{c.text}</pre>
          </article>
        ))}
      </section>
    </div>
  );
}
