import { ApiError } from "@/lib/http/errors";
import { inDateRange } from "./date-query";
import { CONTROL_CHARACTER } from "./params";

// Opaque keyset cursors: base64url of a JSON tuple (the sort value, then a tiebreaker).
// Whatever a caller puts in one is a 400: strings with a NUL or control
// character, numbers that are not finite, dates outside 2000–9999.

const fits = (value: unknown, type: "string" | "number") =>
  type === "string" ? typeof value === "string" && !CONTROL_CHARACTER.test(value) : typeof value === "number" && Number.isFinite(value);

export function encodeCursor(values: (string | number)[]): string {
  return Buffer.from(JSON.stringify(values)).toString("base64url");
}

export function decodeCursor(cursor: string, shape: ("string" | "number")[]): (string | number)[] {
  try {
    const values = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8")) as unknown;
    if (Array.isArray(values) && values.length === shape.length && values.every((v, i) => fits(v, shape[i]!))) return values as (string | number)[];
  } catch {
    // fall through
  }
  throw invalidCursor();
}

const invalidCursor = () =>
  new ApiError("validation_failed", "The cursor is not valid; use the nextCursor of a previous page.", { issues: [{ path: "cursor", message: "Invalid cursor." }] });

type Keyed = { createdAt: Date; id: string };

/** A (date, id) cursor's values: a 400 when it is not one, or its date is out of range. */
export function decodeDateCursor(cursor: string): { at: Date; id: string } {
  const [text, id] = decodeCursor(cursor, ["string", "string"]) as [string, string];
  const at = new Date(text);
  if (!inDateRange(at)) throw invalidCursor();
  return { at, id };
}

/** The where-clause for "after this cursor" in a newest-first (createdAt, id) listing. */
export function newestFirstAfter(cursor: string | undefined) {
  if (!cursor) return undefined;
  const { at: createdAt, id } = decodeDateCursor(cursor);
  return olderThan({ createdAt, id });
}

/** The where-clause for "after this cursor" in an oldest-first (createdAt, id) listing (a queue). */
export function oldestFirstAfter(cursor: string | undefined) {
  if (!cursor) return undefined;
  const { at, id } = decodeDateCursor(cursor);
  return { OR: [{ createdAt: { gt: at } }, { createdAt: at, id: { gt: id } }] };
}

/** The where-clause for the rows after `row` in a newest-first (createdAt, id) listing. */
export const olderThan = ({ createdAt, id }: Keyed) => ({ OR: [{ createdAt: { lt: createdAt } }, { createdAt, id: { lt: id } }] });

/** One page of `limit` rows from a query that fetched limit + 1, with the next page's cursor (either direction). */
export function newestFirstPage<T extends Keyed>(rows: T[], limit: number): { page: T[]; nextCursor: string | null } {
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return { page, nextCursor: rows.length > limit && last ? encodeCursor([last.createdAt.toISOString(), last.id]) : null };
}
