"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { apiFetch } from "@/components/api/fetch-json";

export type DocumentRow = {
  id: string;
  title: string;
  source: string;
  format: "TEXT" | "MARKDOWN" | "HTML" | "PDF";
  sizeBytes: number;
  charCount: number;
  tokenCount: number;
  chunkCount: number;
  createdAt: string;
  createdBy: string | null;
};

export type SearchHit = { documentId: string; documentTitle: string; chunkId: string; chunkSeq: number; heading: string; snippet: string; highlights: [number, number][] };

export const documentsPath = "/api/v1/documents";

/** Where a chunk is shown: its document's page, scrolled to it. */
export const chunkHref = (documentId: string, chunkId: string) => `/documents/${documentId}#chunk-${chunkId}`;

export function useAddDocument() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (doc: { file: File; title?: string } | { text: string; title?: string }) => {
      if ("file" in doc) {
        const form = new FormData();
        form.set("file", doc.file);
        if (doc.title) form.set("title", doc.title);
        return apiFetch<DocumentRow>(documentsPath, { method: "POST", body: form });
      }
      return apiFetch<DocumentRow>(documentsPath, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(doc) });
    },
    onSuccess: () => queryClient.invalidateQueries({ queryKey: [documentsPath] }),
  });
}

export function useDeleteDocument() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => apiFetch<null>(`${documentsPath}/${id}`, { method: "DELETE" }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: [documentsPath] }),
  });
}

export function useDocumentSearch(q: string) {
  return useQuery({
    queryKey: ["document-search", q],
    enabled: q.trim().length > 0,
    queryFn: ({ signal }) => apiFetch<{ data: SearchHit[] }>(`${documentsPath}/search?q=${encodeURIComponent(q)}`, { signal }),
    placeholderData: (previous) => previous,
  });
}
