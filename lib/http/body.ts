import { ApiError, clientClosedRequest } from "./errors";
import { assertJsonDepth, assertNoNul } from "./validate";

/**
 * Reads a JSON body with a hard size limit: the declared Content-Length is
 * checked first, then the bytes actually streamed, so a lying client cannot
 * make us buffer more than `limit`.
 */
export async function readJsonBody(req: Request, limit: number): Promise<unknown> {
  if (Number(req.headers.get("content-length") ?? "0") > limit) throw tooLarge(limit);
  const type = req.headers.get("content-type") ?? "";
  if (type && !/^application\/([\w.+-]*\+)?json\b/i.test(type)) {
    throw new ApiError("unsupported_media_type", "Send the body as application/json.");
  }
  const text = (await readBodyBytes(req, limit)).toString("utf8");
  if (!text.trim()) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new ApiError("invalid_json", "The request body is not valid JSON.", { reason: (err as Error).message });
  }
  assertJsonDepth(value);
  assertNoNul(value);
  return value;
}

function tooLarge(limit: number) {
  return new ApiError("payload_too_large", `The request body is larger than ${limit} bytes.`, { limitBytes: limit });
}

/** The raw body, refused with a 413 past `limit` bytes (declared or streamed). */
export async function readBodyBytes(req: Request, limit: number): Promise<Buffer> {
  const declared = Number(req.headers.get("content-length") ?? "0");
  if (declared > limit) throw tooLarge(limit);
  if (!req.body) return Buffer.alloc(0);
  const reader = req.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    // The body stream fails only when the connection does ("aborted", ECONNRESET): the client went away.
    const { done, value } = await reader.read().catch(() => Promise.reject(clientClosedRequest()));
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel();
      throw tooLarge(limit);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks);
}

/** Boundaries and part headers around a multipart upload's file: what a body may hold beyond the file's own limit. */
const MULTIPART_OVERHEAD = 16_384;

/** Whether the request says it is a multipart/form-data upload. */
export const isMultipart = (req: Request) => /^multipart\/form-data/i.test(req.headers.get("content-type") ?? "");

/** A multipart/form-data body whose file may be `fileLimit` bytes (413 past that plus the part headers; 400 when unreadable). */
export async function readMultipartForm(req: Request, fileLimit: number): Promise<FormData> {
  const bytes = await readBodyBytes(req, fileLimit + MULTIPART_OVERHEAD);
  try {
    return await new Response(new Uint8Array(bytes), { headers: { "content-type": req.headers.get("content-type") ?? "" } }).formData();
  } catch {
    throw new ApiError("bad_request", "The multipart body could not be read.");
  }
}
