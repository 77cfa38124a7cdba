// GET /api/v1/documents/:id — the document with its chunks
// DELETE /api/v1/documents/:id — deletes it and its chunks: 204
import { idParams } from "@/lib/http/params";
import { deleteDocument, documentSchema, getDocument } from "@/lib/knowledge/documents";
import { route } from "@/lib/http/route";

export const GET = route({ permission: "workspace.read", params: idParams, response: documentSchema, summary: "One document with its chunks." }, async ({ principal, params }) => getDocument(principal.workspace.id, params.id));

export const DELETE = route({ permission: "workspace.write", params: idParams, status: 204, summary: "Delete a document and its chunks." }, async ({ principal, params }) => {
  await deleteDocument(principal.workspace.id, params.id);
  return new Response(null, { status: 204 });
});
