import type { Principal } from "@/lib/auth/principal";
import { db } from "@/lib/db/client";
import { env } from "@/lib/env";
import { isMultipart, readJsonBody, readMultipartForm } from "@/lib/http/body";
import { ApiError } from "@/lib/http/errors";
import { parseWith } from "@/lib/http/validate";
import { createDocument, pasteDocumentSchema, type DocumentDetail } from "./documents";
import { DocumentInputError, extractFromFile, extractFromPaste, type Extracted } from "./extract-text";

// POST /api/v1/documents: JSON `{ title?, text }` (pasted) or multipart/form-data
// with `file` and optional `title` (uploaded). Both are held to
// AGORA_DOCUMENT_MAX_BYTES with a 413 before anything is parsed or written.

const titleOf = (value: FormDataEntryValue | null) => (typeof value === "string" && value.trim() ? value.trim().slice(0, 200) : undefined);

async function extract(read: () => Promise<Extracted> | Extracted): Promise<Extracted> {
  try {
    return await read();
  } catch (err) {
    if (err instanceof DocumentInputError) throw new ApiError(err.code, err.message);
    throw err;
  }
}

export async function documentFromRequest(req: Request, principal: Principal): Promise<DocumentDetail> {
  const limit = env().AGORA_DOCUMENT_MAX_BYTES;
  const scope = { workspaceId: principal.workspace.id, userId: principal.userId };

  if (isMultipart(req)) {
    const form = await readMultipartForm(req, limit);
    const file = form.get("file");
    if (!(file instanceof File)) throw new ApiError("validation_failed", "Attach the document as the `file` field.", { issues: [{ path: "file", message: "Required." }] });
    if (file.size > limit) throw new ApiError("payload_too_large", `The file is larger than ${limit} bytes.`, { limitBytes: limit });
    if (file.size === 0) throw new ApiError("validation_failed", "The file is empty.", { issues: [{ path: "file", message: "Empty file." }] });
    const data = new Uint8Array(await file.arrayBuffer());
    const extracted = await extract(() => extractFromFile(file.name, data));
    return createDocument(db, scope, { extracted, title: titleOf(form.get("title")), source: file.name, sizeBytes: file.size });
  }

  const body = parseWith(pasteDocumentSchema, await readJsonBody(req, limit));
  const extracted = await extract(() => extractFromPaste(body.text));
  return createDocument(db, scope, { extracted, title: body.title, source: "pasted", sizeBytes: Buffer.byteLength(body.text) });
}
