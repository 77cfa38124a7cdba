import { z } from "zod";

// Pieces of the routes' response schemas (lib/http/route.ts `response`): values as JSON carries them.

/** A Date on the wire: an ISO 8601 string. */
export const isoDate = z.iso.datetime({ offset: true });
/** A whole number: a count, or micro-USD (money is integer micro-USD, SPEC §9). */
export const wholeNumber = z.number().int();
/** A keyset page (lib/http/cursor.ts): `nextCursor` is null on the last page. */
export const pageOf = <T extends z.ZodType>(item: T) => z.object({ data: z.array(item), nextCursor: z.string().nullable() });
