// GET /api/v1/documents/search?q=…&limit= — ranked chunks with highlighted snippets
// (`highlights` are [start, end) offsets into `snippet`)
import { db } from "@/lib/db/client";
import { documentSearchSchema, searchDocuments, searchQuerySchema } from "@/lib/knowledge/documents";
import { route } from "@/lib/http/route";

export const GET = route({ permission: "workspace.read", query: searchQuerySchema, response: documentSearchSchema, summary: "Ranked chunks of the workspace's documents with highlighted snippets." }, async ({ principal, query }) => ({
  query: query.q,
  data: await searchDocuments(db, principal.workspace.id, query.q, query.limit, 1_000),
}));
