import { z } from "zod";

// Building blocks of the routes' `response` schemas (lib/http/route.ts): JSON
// bodies as they are on the wire — dates as ISO strings, money as whole numbers.

/** A Date serialized by JSON (`toISOString()`): `2026-12-01T09:30:00.000Z`. */
export const isoDateTime = z.iso.datetime();

/** A calendar day, YYYY-MM-DD. */
export const isoDay = z.iso.date();

/** An amount in micro-USD (lib/money/format.ts microsJson): a whole number, negative for money out. */
export const microsAmount = z.number().int();

/** One page of a keyset-paginated list (lib/http/cursor.ts): `nextCursor` is null on the last page. */
export const pageSchema = <T extends z.ZodType>(item: T) => z.strictObject({ data: z.array(item), nextCursor: z.string().nullable() });

/** `{ data: [...] }`: a whole list in one answer. */
export const listSchema = <T extends z.ZodType>(item: T) => z.strictObject({ data: z.array(item) });
