import { z } from "zod";
import { searchDocuments, type SearchHit } from "@/lib/knowledge/documents";
import { defineTool } from "../define-package";

// search_documents: the workspace knowledge base, ranked by PostgreSQL full-text
// search (SPEC §6). Shared by the Knowledge Base Agent, Ticket Resolver and
// Incident Responder; always scoped to the run's own workspace.

export const searchDocumentsInputSchema = z.object({
  query: z.string().trim().min(1, "Give a search query.").max(500),
  limit: z.number().int().min(1).max(10).default(5),
});

export type DocumentResult = Omit<SearchHit, "highlights" | "rank"> & { citation: { documentId: string; chunkId: string } };
export type SearchDocumentsResult = { query: string; results: DocumentResult[] };

/** Marks the highlights in a snippet with ** for the model (the API returns offsets). */
export function markSnippet(hit: Pick<SearchHit, "snippet" | "highlights">): string {
  let out = "";
  let at = 0;
  for (const [a, b] of hit.highlights) {
    out += `${hit.snippet.slice(at, a)}**${hit.snippet.slice(a, b)}**`;
    at = b;
  }
  return out + hit.snippet.slice(at);
}

export const searchDocumentsTool = defineTool({
  name: "search_documents",
  description:
    "Search this workspace's knowledge base (full-text, ranked). Returns the best-matching chunks with their document title, section heading, a snippet with the matches in **bold**, the chunk text, and a citation {documentId, chunkId} to cite.",
  input: searchDocumentsInputSchema,
  handler: async (input, ctx): Promise<SearchDocumentsResult> => {
    const hits = await searchDocuments(ctx.db, ctx.workspaceId, input.query, input.limit, 3_000);
    return {
      query: input.query,
      results: hits.map(({ highlights, rank: _rank, ...hit }) => ({
        ...hit,
        snippet: markSnippet({ snippet: hit.snippet, highlights }),
        citation: { documentId: hit.documentId, chunkId: hit.chunkId },
      })),
    };
  },
});

export const citationSchema = z.object({
  documentId: z.string().min(1),
  chunkId: z.string().min(1),
  title: z.string(),
  heading: z.string().optional(),
  quote: z.string().optional(),
});
export type Citation = z.infer<typeof citationSchema>;

export function citationOf(hit: DocumentResult, quote?: string): Citation {
  return { documentId: hit.documentId, chunkId: hit.chunkId, title: hit.documentTitle, heading: hit.heading || undefined, ...(quote ? { quote } : {}) };
}

const STOP = new Set(
  "a an and are as at be by can do does for from how i in is it my of on or our the this to was we what when where which who why with you your me if not no work works get use need want please about there have has".split(" "),
);

export const queryTerms = (text: string) => [...new Set(text.toLowerCase().match(/[a-z0-9][a-z0-9-]{1,}/g) ?? [])].filter((w) => !STOP.has(w));

/**
 * The sentences of `text` that share the most words with `question` (prefix
 * matches count at the start of a word, so "refunds" finds "refunded"), in their
 * original order: the offline model's extractive answer. Sentences that match
 * clearly fewer words than the best one are left out.
 */
export function bestSentences(text: string, question: string, max = 3): string[] {
  const terms = queryTerms(question).map((t) => t.slice(0, Math.max(4, t.length - 2)));
  const sentences = text
    .replace(/^#+\s.*$/gm, "")
    .split(/(?<=[.!?])\s+|\n+/)
    .map((s) => s.replace(/^[-*\d.)\s]+/, "").replace(/\*\*/g, "").trim())
    .filter((s) => s.length > 20);
  const scored = sentences.map((s, i) => {
    const words = s.toLowerCase().split(/[^a-z0-9-]+/);
    return { s, i, score: terms.filter((t) => words.some((w) => w.startsWith(t))).length };
  });
  const best = Math.max(0, ...scored.map((x) => x.score));
  return scored
    .filter((x) => x.score > 0 && x.score >= best - 1)
    .sort((a, b) => b.score - a.score || a.i - b.i)
    .slice(0, max)
    .sort((a, b) => a.i - b.i)
    .map((x) => x.s);
}
