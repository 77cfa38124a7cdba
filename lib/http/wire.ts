import { z } from "zod";

// Building blocks of the routes' `response` schemas (lib/http/route.ts): JSON bodies as they are on
// the wire — dates as ISO strings, money as whole numbers.

/** A Date on the wire (`toISOString()`): `2026-12-01T09:30:00.000Z`. */
export const isoDate = z.iso.datetime({ offset: true });
/** A calendar day, YYYY-MM-DD. */
export const isoDay = z.iso.date();
/** A whole number: a count. */
export const wholeNumber = z.number().int();
/** An amount in micro-USD (lib/money/format.ts microsJson): a whole number, negative for money out (SPEC §9). */
export const microsAmount = z.number().int();
/** One page of a keyset-paginated list (lib/http/cursor.ts): `nextCursor` is null on the last page. */
export const pageOf = <T extends z.ZodType>(item: T) => z.object({ data: z.array(item), nextCursor: z.string().nullable() });
/** `{ data: [...] }`: a whole list in one answer. */
export const listOf = <T extends z.ZodType>(item: T) => z.object({ data: z.array(item) });
