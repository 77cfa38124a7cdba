// GET /api/v1/documents/search?q=…&limit= — ranked chunks with highlighted snippets
// (`highlights` are [start, end) offsets into `snippet`)
import { db } from "@/lib/db/client";
import { searchDocuments, searchQuerySchema } from "@/lib/knowledge/documents";
import { route } from "@/lib/http/route";

export const GET = route({ permission: "workspace.read", query: searchQuerySchema }, async ({ principal, query }) => ({
  query: query.q,
  data: await searchDocuments(db, principal.workspace.id, query.q, query.limit, 1_000),
}));
