import { z } from "zod";

// Path params (SPEC §9): what a route's `params` schema is built from. A
// malformed id is a 400 validation_failed naming the param (a NUL byte would
// otherwise reach PostgreSQL, which refuses it with a 500); a well-formed id
// that names nothing is the route's 404.

/** NUL and the other C0 control characters, and DEL: never part of an id, a slug or a cursor. */
export const CONTROL_CHARACTER = /[\u0000-\u001f\u007f]/;

/** An id from the path: 1–200 characters, none of them NUL or another control character. */
export const idParam = z
  .string()
  .min(1, "Missing.")
  .max(200, "Too long to be an id.")
  .refine((s) => !CONTROL_CHARACTER.test(s), "Holds a NUL or control character; an id never does.");

/** A slug or code from the path: lowercase letters and digits in hyphen-separated words (`data-processor`). */
export const slugParam = z
  .string()
  .max(100, "Too long to be a slug.")
  .regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, "Not a slug: lowercase letters, digits and single hyphens.");

/** The params of a path with one `[id]`. */
export const idParams = z.object({ id: idParam });
