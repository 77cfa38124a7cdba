import { z } from "zod";

// The one pagination schema of every list route (SPEC §9): `cursor` is the
// nextCursor of the previous page (decoded by lib/http/cursor.ts), `limit` the
// page size. A list extends it with its filters.

/** A page size of 1…max, `fallback` when absent. */
export const pageLimit = (fallback: number, max: number) => z.coerce.number().int().min(1).max(max).default(fallback);

/** `{ cursor?, limit }` with a page size other than the usual 20 of at most 100. */
export const paginationQuery = ({ defaultLimit = 20, maxLimit = 100 } = {}) =>
  z.object({ cursor: z.string().max(300, "The cursor is not valid; use the nextCursor of a previous page.").optional(), limit: pageLimit(defaultLimit, maxLimit) });

export const paginationQuerySchema = paginationQuery();

