import { ApiError } from "@/lib/http/errors";

// Opaque keyset cursors: base64url of a JSON tuple (the sort value, then a tiebreaker).

export function encodeCursor(values: (string | number)[]): string {
  return Buffer.from(JSON.stringify(values)).toString("base64url");
}

export function decodeCursor(cursor: string, shape: ("string" | "number")[]): (string | number)[] {
  try {
    const values = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8")) as unknown;
    if (Array.isArray(values) && values.length === shape.length && values.every((v, i) => typeof v === shape[i])) return values as (string | number)[];
  } catch {
    // fall through
  }
  throw new ApiError("validation_failed", "The cursor is not valid; use the nextCursor of a previous page.", { issues: [{ path: "cursor", message: "Invalid cursor." }] });
}
