"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { Alert } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { Field, TextAreaField } from "@/components/ui/field";
import { countOf, formatBytes, timeAgo } from "@/components/ui/format";
import { LoadMore } from "@/components/ui/load-more";
import { QueryStates } from "@/components/ui/query-states";
import { useCursorList, useUrlFilters } from "@/components/ui/use-url-filters";
import { RequestFailure } from "@/components/api/fetch-json";
import { Highlighted } from "./highlighted";
import { chunkHref, documentsPath, useAddDocument, useDocumentSearch, type DocumentRow } from "./use-documents";

const ACCEPT = ".md,.markdown,.txt,.html,.htm,.pdf";

function AddDocument({ maxBytes }: { maxBytes: number }) {
  const router = useRouter();
  const add = useAddDocument();
  const [mode, setMode] = useState<"upload" | "paste">("upload");
  const [tooBig, setTooBig] = useState<string | null>(null);
  const failure = add.error instanceof RequestFailure ? add.error : null;

  async function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const data = new FormData(e.currentTarget);
    const title = String(data.get("title") ?? "").trim() || undefined;
    const file = data.get("file");
    if (mode === "upload") {
      if (!(file instanceof File) || !file.name) return setTooBig("Choose a file to upload.");
      if (file.size > maxBytes) return setTooBig(`${file.name} is ${formatBytes(file.size)}; the limit is ${formatBytes(maxBytes)}.`);
    }
    setTooBig(null);
    const doc = await add.mutateAsync(mode === "upload" ? { file: file as File, title } : { text: String(data.get("text") ?? ""), title }).catch(() => null);
    if (doc) router.push(`/documents/${doc.id}`);
  }

  return (
    <Card title="Add a document" description={`Upload .md, .txt, .html or .pdf (up to ${formatBytes(maxBytes)}), or paste text. It is split into searchable chunks.`}>
      <div role="tablist" aria-label="How to add" className="mb-4 flex gap-2">
        {(["upload", "paste"] as const).map((m) => (
          <Button key={m} role="tab" aria-selected={mode === m} variant={mode === m ? "primary" : "secondary"} onClick={() => { setMode(m); setTooBig(null); add.reset(); }}>
            {m === "upload" ? "Upload a file" : "Paste text"}
          </Button>
        ))}
      </div>
      <form onSubmit={onSubmit} className="space-y-3" noValidate>
        <Field label="Title (optional)" name="title" maxLength={200} placeholder="Taken from the document when empty" />
        {mode === "upload" ? (
          <Field label="File" name="file" type="file" accept={ACCEPT} error={tooBig ?? failure?.fieldErrors.file} />
        ) : (
          <TextAreaField label="Text or markdown" name="text" rows={10} error={failure?.fieldErrors.text} placeholder={"# Refund policy\n\nAnnual plans are refunded within 30 days…"} />
        )}
        {failure && !failure.fieldErrors.file && !failure.fieldErrors.text && <Alert tone="error">{failure.message}</Alert>}
        <Button type="submit" pending={add.isPending}>
          {add.isPending ? "Adding…" : "Add document"}
        </Button>
      </form>
    </Card>
  );
}

function SearchDocuments() {
  const { filters, setFilter } = useUrlFilters(["q"] as const);
  const [draft, setDraft] = useState(filters.q);
  const search = useDocumentSearch(filters.q);
  return (
    <Card title="Search" description="Full-text search over every chunk, best match first.">
      <form
        role="search"
        className="flex flex-col gap-3 sm:flex-row sm:items-end"
        onSubmit={(e) => {
          e.preventDefault();
          setFilter("q", draft.trim());
        }}
      >
        <Field label="Search documents" name="q" type="search" value={draft} onChange={(e) => setDraft(e.target.value)} placeholder="e.g. rollback canary" className="flex-1" />
        <Button type="submit" pending={search.isFetching}>
          Search
        </Button>
      </form>
      {filters.q && (
        <div className="mt-4" aria-live="polite">
          {search.isError ? (
            <Alert tone="error">{search.error.message}</Alert>
          ) : search.data && search.data.data.length === 0 ? (
            <EmptyState title={`Nothing matches "${filters.q}"`}>Try other words, or add a document that covers it.</EmptyState>
          ) : (
            <ol className="space-y-3">
              {search.data?.data.map((hit) => (
                <li key={hit.chunkId} data-testid="search-hit" className="rounded-md p-3 ring-1 ring-slate-200">
                  <Link href={chunkHref(hit.documentId, hit.chunkId)} className="font-medium text-brand-700 hover:underline">
                    {hit.documentTitle}
                  </Link>
                  <span className="text-xs text-slate-500">
                    {" "}
                    · {hit.heading || "start"} · chunk {hit.chunkSeq}
                  </span>
                  <p className="mt-1 text-sm text-slate-700">
                    <Highlighted text={hit.snippet} ranges={hit.highlights} />
                  </p>
                </li>
              ))}
            </ol>
          )}
        </div>
      )}
    </Card>
  );
}

export function DocumentsPanel({ maxBytes }: { maxBytes: number }) {
  const { query, items } = useCursorList<{ data: DocumentRow[]; nextCursor: string | null }>(documentsPath, {});
  return (
    <div className="grid gap-6 lg:grid-cols-2">
      <div className="space-y-6">
        <AddDocument maxBytes={maxBytes} />
        <SearchDocuments />
      </div>
      <Card title="Documents">
        <QueryStates
          query={query}
          noun="documents"
          isEmpty={items.length === 0}
          empty={<EmptyState title="No documents yet">Upload your FAQ, runbooks or policies; the Knowledge Base Agent answers from them.</EmptyState>}
        >
          {() => (
          <div className="space-y-4">
            <ul className="divide-y divide-slate-100">
              {items.map((d) => (
                <li key={d.id} data-testid="document-row" className="py-3">
                  <Link href={`/documents/${d.id}`} className="font-medium text-brand-700 hover:underline">
                    {d.title}
                  </Link>
                  <div className="mt-1 flex flex-wrap items-center gap-x-2 gap-y-1 text-xs text-slate-500">
                    <Badge>{d.format.toLowerCase()}</Badge>
                    <span>{d.source}</span>
                    <span>· {countOf(d.chunkCount, "chunk")}</span>
                    <span>· {formatBytes(d.sizeBytes)}</span>
                    <span title={new Date(d.createdAt).toLocaleString()}>
                      · added {timeAgo(d.createdAt)}
                      {d.createdBy ? ` by ${d.createdBy}` : ""}
                    </span>
                  </div>
                </li>
              ))}
            </ul>
            <LoadMore query={query} />
          </div>
          )}
        </QueryStates>
      </Card>
    </div>
  );
}
