// POST /api/v1/documents — paste `{ title?, text }` as JSON, or upload multipart `file`
//   (.md, .txt, .html, .pdf) with an optional `title`: 201 with the document and its chunks
// GET /api/v1/documents — the workspace's documents, newest first: cursor, limit
import { documentFromRequest } from "@/lib/knowledge/ingest";
import { documentPageSchema, documentSchema, listDocuments, listDocumentsQuerySchema } from "@/lib/knowledge/documents";
import { json, route } from "@/lib/http/route";

export const POST = route(
  {
    permission: "workspace.write",
    response: documentSchema,
    status: 201,
    summary: "Add a document: JSON { title?, text }, or a multipart upload of `file` (.md, .txt, .html, .pdf) with an optional `title`.",
  }, async ({ req, principal }) => json(await documentFromRequest(req, principal), 201));

export const GET = route({ permission: "workspace.read", query: listDocumentsQuerySchema, response: documentPageSchema, summary: "The workspace's documents, newest first." }, async ({ principal, query }) => listDocuments(principal.workspace.id, query));
