import { z } from "zod";
import { ApiError, validationError } from "./errors";

/** Parses `data` with `schema`, throwing a 400 naming every failing field path. */
export function parseWith<S extends z.ZodType>(schema: S, data: unknown): z.output<S> {
  const result = schema.safeParse(data);
  if (!result.success) throw validationError(result.error);
  return result.data;
}

export function searchParamsObject(url: URL): Record<string, string> {
  return Object.fromEntries(url.searchParams.entries());
}

/** The path of the first string in `value` holding a NUL character (PostgreSQL text and JSONB refuse them), or null. */
export function nulPath(value: unknown, path: (string | number)[] = []): string | null {
  if (typeof value === "string") return value.includes("\u0000") ? path.join(".") || "(root)" : null;
  if (Array.isArray(value)) {
    for (const [i, v] of value.entries()) {
      const found = nulPath(v, [...path, i]);
      if (found) return found;
    }
  } else if (value && typeof value === "object") {
    for (const [k, v] of Object.entries(value)) {
      const found = nulPath(k, [...path, k]) ?? nulPath(v, [...path, k]);
      if (found) return found;
    }
  }
  return null;
}

/** Refuses text carrying NUL characters (binary data) with a 400 naming the field. */
export function assertNoNul(value: unknown, prefix?: string): void {
  const at = nulPath(value);
  if (at === null) return;
  const path = prefix ? (at === "(root)" ? prefix : `${prefix}.${at}`) : at;
  throw new ApiError("validation_failed", `Invalid input: ${path} contains a NUL character (binary data); send text.`, { issues: [{ path, message: "Contains a NUL character; send text, not binary data." }] });
}
