import { z } from "zod";
import { isoDate, pageOf } from "@/lib/http/wire";
import { db, type Db, type DbTx } from "@/lib/db/client";
import { Prisma } from "@/lib/generated/prisma/client";
import { newestFirstAfter, newestFirstPage } from "@/lib/http/cursor";
import { ApiError } from "@/lib/http/errors";
import { pageLimit, paginationQuerySchema } from "@/lib/http/pagination";
import { assertNoNul } from "@/lib/http/validate";
import { countTokensAsync } from "@/lib/llm/count-tokens";
import { chunkText, type Chunk } from "./chunk-text";
import type { Extracted } from "./extract-text";

// A workspace's knowledge base (SPEC §2): create (text → chunks with their
// search vectors, in one transaction), list, read with chunks, delete, and ranked
// full-text search with highlighted snippets. Every function takes the
// workspace id from the caller's principal and scopes every query by it.

export const MAX_DOCUMENT_CHARS = 2_000_000;

export const listDocumentsQuerySchema = paginationQuerySchema;

export const searchQuerySchema = z.object({
  q: z.string().trim().min(1, "Type something to search for.").max(500),
  limit: pageLimit(10, 20),
});

export const pasteDocumentSchema = z.object({
  title: z.string().trim().min(1).max(200).optional(),
  text: z.string().refine((t) => t.trim().length > 0, "Paste some text."),
});

const summarySelect = {
  id: true,
  title: true,
  source: true,
  format: true,
  sizeBytes: true,
  charCount: true,
  tokenCount: true,
  chunkCount: true,
  createdAt: true,
  createdBy: { select: { name: true, email: true } },
} satisfies Prisma.DocumentSelect;

type SummaryRow = Prisma.DocumentGetPayload<{ select: typeof summarySelect }>;

function summaryJson(row: SummaryRow) {
  const { createdBy, createdAt, ...rest } = row;
  return { ...rest, createdAt: createdAt.toISOString(), createdBy: createdBy ? (createdBy.name ?? createdBy.email) : null };
}

export type DocumentSummary = ReturnType<typeof summaryJson>;
export type DocumentChunkJson = { id: string; seq: number; heading: string; text: string; tokenCount: number };
export type DocumentDetail = DocumentSummary & { chunks: DocumentChunkJson[] };

/** Control characters other than tab and newline never reach the index (they mark highlights in snippets). */
const clean = (text: string) => text.replace(/\r\n?/g, "\n").replace(/[\u0000-\u0008\u000B-\u001F\u007F]/g, "");

type NewDocument = { extracted: Extracted; title?: string; source: string; sizeBytes: number };

/**
 * The caller's title, else the document's own (its metadata or first heading), else the file name.
 * A NUL in what the caller typed (title, file name) is their mistake: a 400 naming the field. One in
 * the document's own title is content, cleaned like its text.
 */
function documentTitle(doc: NewDocument): string {
  assertNoNul({ title: doc.title, filename: doc.source });
  const own = clean(doc.extracted.title ?? "").trim();
  return (doc.title ?? (own || doc.source.replace(/\.[^.]+$/, ""))).trim().slice(0, 200) || "Untitled";
}

export async function createDocument(
  client: Db,
  scope: { workspaceId: string; userId: string | null },
  doc: NewDocument,
): Promise<DocumentDetail> {
  const text = clean(doc.extracted.text).trim();
  if (!text) throw new ApiError("bad_request", "No text could be extracted from this document.");
  if (text.length > MAX_DOCUMENT_CHARS) {
    throw new ApiError("payload_too_large", `The document's text is longer than ${MAX_DOCUMENT_CHARS.toLocaleString("en-US")} characters.`, { limitChars: MAX_DOCUMENT_CHARS });
  }
  const title = documentTitle(doc);
  const chunks = await chunkText(text);
  const tokenCount = await countTokensAsync(text);
  const created = await client.$transaction(async (tx) => {
    const row = await tx.document.create({
      data: {
        workspaceId: scope.workspaceId,
        createdById: scope.userId,
        title,
        source: doc.source.slice(0, 300),
        format: doc.extracted.format,
        sizeBytes: doc.sizeBytes,
        charCount: text.length,
        tokenCount,
        chunkCount: chunks.length,
      },
      select: summarySelect,
    });
    await insertChunks(tx, { documentId: row.id, workspaceId: scope.workspaceId, title }, chunks);
    return row;
  });
  // What was written, without reading it back.
  return { ...summaryJson(created), chunks: chunks.map((c) => ({ id: chunkId(created.id, c.seq), seq: c.seq, heading: c.heading, text: c.text, tokenCount: c.tokenCount })) };
}

const chunkId = (documentId: string, seq: number) => `${documentId}_${seq}`;

async function insertChunks(tx: DbTx, doc: { documentId: string; workspaceId: string; title: string }, chunks: Chunk[]) {
  // One statement per 200 chunks; the search vector weighs the title A, the heading B and the text D.
  for (let i = 0; i < chunks.length; i += 200) {
    const batch = chunks.slice(i, i + 200);
    const rows = batch.map(
      (c) => Prisma.sql`(${chunkId(doc.documentId, c.seq)}, ${doc.documentId}, ${doc.workspaceId}, ${c.seq}, ${c.heading}, ${c.text}, ${c.tokenCount},
        setweight(to_tsvector('english', ${doc.title}), 'A') || setweight(to_tsvector('english', ${c.heading}), 'B') || setweight(to_tsvector('english', ${c.text}), 'D'))`,
    );
    await tx.$executeRaw`INSERT INTO "DocumentChunk" ("id", "documentId", "workspaceId", "seq", "heading", "text", "tokenCount", "searchVector") VALUES ${Prisma.join(rows)}`;
  }
}

export async function listDocuments(workspaceId: string, q: z.output<typeof listDocumentsQuerySchema>) {
  const after = newestFirstAfter(q.cursor);
  const rows = await db.document.findMany({
    where: { workspaceId, ...(after ? { AND: [after] } : {}) },
    select: summarySelect,
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: q.limit + 1,
  });
  const { page, nextCursor } = newestFirstPage(rows, q.limit);
  return { data: page.map(summaryJson), nextCursor };
}

export async function getDocument(workspaceId: string, id: string): Promise<DocumentDetail> {
  const row = await db.document.findFirst({
    where: { id, workspaceId },
    select: { ...summarySelect, chunks: { select: { id: true, seq: true, heading: true, text: true, tokenCount: true }, orderBy: { seq: "asc" } } },
  });
  if (!row) throw new ApiError("not_found", "No such document.");
  const { chunks, ...summary } = row;
  return { ...summaryJson(summary), chunks };
}

/** Deletes the document and its chunks (by cascade). */
export async function deleteDocument(workspaceId: string, id: string): Promise<void> {
  const { count } = await db.document.deleteMany({ where: { id, workspaceId } });
  if (!count) throw new ApiError("not_found", "No such document.");
}

export type SearchHit = {
  documentId: string;
  documentTitle: string;
  chunkId: string;
  chunkSeq: number;
  heading: string;
  rank: number;
  /** A short excerpt around the matches; `highlights` are [start, end) offsets into it. */
  snippet: string;
  highlights: [number, number][];
  text: string;
};

const START = "\u0002";
const STOP = "\u0003";

/** Splits ts_headline's marked output into plain text and highlight offsets. */
export function parseHeadline(marked: string): { snippet: string; highlights: [number, number][] } {
  let snippet = "";
  const highlights: [number, number][] = [];
  let open = -1;
  for (const ch of marked) {
    if (ch === START) open = snippet.length;
    else if (ch === STOP) {
      if (open >= 0 && snippet.length > open) highlights.push([open, snippet.length]);
      open = -1;
    } else snippet += ch;
  }
  return { snippet, highlights };
}

/**
 * Ranked search over the workspace's chunks. Matching is on any of the query's
 * words (a question rarely shares every word with its answer); chunks that
 * contain all of them rank above those that do not. Quoted phrases and
 * `-exclusions` keep their meaning (websearch syntax); with an exclusion the
 * query must hold as written.
 */
export async function searchDocuments(tx: DbTx, workspaceId: string, query: string, limit = 10, textChars = 4_000): Promise<SearchHit[]> {
  const rows = await tx.$queryRaw<{ chunkId: string; documentId: string; documentTitle: string; chunkSeq: number; heading: string; rank: number; headline: string; text: string }[]>`
    WITH q AS (SELECT websearch_to_tsquery('english', ${query}) AS qand),
    qq AS (
      SELECT qand, CASE WHEN position('!' in qand::text) > 0 THEN qand ELSE replace(qand::text, ' & ', ' | ')::tsquery END AS qor
      FROM q WHERE numnode(qand) > 0
    )
    SELECT c.id AS "chunkId", c."documentId", d.title AS "documentTitle", c.seq AS "chunkSeq", c.heading,
      (ts_rank('{0.1, 0.2, 0.4, 1.0}', c."searchVector", qq.qor, 1) + CASE WHEN c."searchVector" @@ qq.qand THEN 1 ELSE 0 END)::float8 AS rank,
      ts_headline('english', c.text, qq.qor, ${`StartSel=${START}, StopSel=${STOP}, MaxWords=45, MinWords=20, MaxFragments=2, FragmentDelimiter=" … "`}) AS headline,
      left(c.text, ${textChars}) AS text
    FROM qq, "DocumentChunk" c JOIN "Document" d ON d.id = c."documentId"
    WHERE c."workspaceId" = ${workspaceId} AND c."searchVector" @@ qq.qor
    ORDER BY rank DESC, d."createdAt" DESC, c.seq
    LIMIT ${limit}`;
  return rows.map(({ headline, ...row }) => ({ ...row, rank: Math.round(row.rank * 1e6) / 1e6, ...parseHeadline(headline) }));
}

// Response bodies (lib/http/route.ts `response`): summaryJson, getDocument / createDocument, listDocuments, the search.
const int = z.number().int();
export const documentSummarySchema = z
  .object({
    id: z.string(),
    title: z.string(),
    source: z.string(),
    format: z.string(),
    sizeBytes: int,
    charCount: int,
    tokenCount: int,
    chunkCount: int,
    createdAt: isoDate,
    createdBy: z.string().nullable().describe("The member's name or e-mail."),
  })
  .meta({ id: "DocumentSummary" });
export const documentSchema = documentSummarySchema
  .extend({ chunks: z.array(z.object({ id: z.string(), seq: int, heading: z.string(), text: z.string(), tokenCount: int })) })
  .meta({ id: "Document" });
export const documentPageSchema = pageOf(documentSummarySchema);
export const documentSearchSchema = z.object({
  query: z.string(),
  data: z.array(
    z.object({
      documentId: z.string(),
      documentTitle: z.string(),
      chunkId: z.string(),
      chunkSeq: int,
      heading: z.string(),
      rank: z.number(),
      snippet: z.string(),
      highlights: z.array(z.tuple([int, int])).describe("[start, end) offsets into snippet."),
      text: z.string(),
    }),
  ),
});
