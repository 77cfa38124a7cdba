import { z } from "zod";

// Dates in query strings and cursors: only real calendar dates of the years
// 2000–9999. PostgreSQL refuses years past 294276 and JavaScript keeps dates
// PostgreSQL cannot store, so an unchecked `from=-100000-01-01` was a 500.

const MIN_YEAR = 2000;
const MAX_YEAR = 9999;
const DAY = /^(\d{4})-(\d{2})-(\d{2})/;
const INSTANT = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2}))?$/;
const RANGE_HINT = `between ${MIN_YEAR} and ${MAX_YEAR}`;

/** Whether `date` is a valid Date in the years 2000–9999 (UTC). */
export function inDateRange(date: Date): boolean {
  const year = date.getUTCFullYear();
  return !Number.isNaN(date.getTime()) && year >= MIN_YEAR && year <= MAX_YEAR;
}

/** Whether `text` starts with a day YYYY-MM-DD that exists (2026-02-30 does not) within the range. */
function startsWithRealDay(text: string): boolean {
  const day = DAY.exec(text)?.[0];
  if (!day) return false;
  const date = new Date(`${day}T00:00:00Z`);
  return inDateRange(date) && date.toISOString().startsWith(day);
}

/** `from=2026-05-01`: a real day YYYY-MM-DD of the years 2000–9999, as the string. */
export const dayQuery = z.string().refine((s) => /^\d{4}-\d{2}-\d{2}$/.test(s) && startsWithRealDay(s), `Use a real date YYYY-MM-DD ${RANGE_HINT}.`);

/** `from=2026-05-01` or `from=2026-05-01T12:00:00Z` (an ISO-8601 instant with its zone): a Date of the years 2000–9999. */
export const instantQuery = z
  .string()
  .refine((s) => INSTANT.test(s) && startsWithRealDay(s) && inDateRange(new Date(s)), `Use a real date YYYY-MM-DD, or an ISO-8601 time with its zone, ${RANGE_HINT}.`)
  .transform((s) => new Date(s));
