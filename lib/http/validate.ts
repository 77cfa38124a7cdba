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

/** Deepest nesting of arrays and objects a JSON body may have: more than any real input, far below what overflows the recursive code downstream (JSON.stringify, zod, Prisma). */
export const MAX_JSON_DEPTH = 64;

type JsonNode = { value: unknown; key: string | number | null; parent: JsonNode | null; depth: number };

/**
 * The first node of a JSON value, in document order, that `match` accepts, or null. Walked with an
 * explicit stack: a recursive walk overflows on a body nested 10,000 deep.
 */
function findJsonNode(value: unknown, match: (node: JsonNode) => boolean): JsonNode | null {
  const stack: JsonNode[] = [{ value, key: null, parent: null, depth: 0 }];
  while (stack.length) {
    const node = stack.pop()!;
    if (match(node)) return node;
    const v = node.value;
    const children: [string | number, unknown][] = Array.isArray(v) ? [...v.entries()] : v && typeof v === "object" ? Object.entries(v) : [];
    for (let i = children.length - 1; i >= 0; i--) stack.push({ value: children[i]![1], key: children[i]![0], parent: node, depth: node.depth + 1 });
  }
  return null;
}

function pathOf(node: JsonNode): string {
  const keys: (string | number)[] = [];
  for (let n: JsonNode | null = node; n?.parent; n = n.parent) keys.push(n.key!);
  return keys.reverse().join(".") || "(root)";
}

const hasNul = (s: unknown) => typeof s === "string" && s.includes("\u0000");

/** The path of the first string (value or key) in `value` holding a NUL character (PostgreSQL text and JSONB refuse them), or null. */
export function nulPath(value: unknown): string | null {
  const found = findJsonNode(value, (n) => hasNul(n.value) || hasNul(n.key));
  return found && pathOf(found);
}

/** Refuses JSON nested deeper than MAX_JSON_DEPTH arrays and objects with a 400 naming the limit. */
export function assertJsonDepth(value: unknown): void {
  const found = findJsonNode(value, (n) => n.depth >= MAX_JSON_DEPTH && n.value !== null && typeof n.value === "object");
  if (!found) return;
  const path = pathOf(found);
  throw new ApiError("validation_failed", `The request body nests arrays and objects more than ${MAX_JSON_DEPTH} levels deep; flatten it.`, {
    maxDepth: MAX_JSON_DEPTH,
    issues: [{ path: path.length > 200 ? `${path.slice(0, 200)}…` : path, message: `Nested more than ${MAX_JSON_DEPTH} levels deep.` }],
  });
}

/** Refuses text carrying NUL characters (binary data) with a 400 naming the field. */
export function assertNoNul(value: unknown, prefix?: string): void {
  const at = nulPath(value);
  if (at === null) return;
  const path = prefix ? (at === "(root)" ? prefix : `${prefix}.${at}`) : at;
  throw new ApiError("validation_failed", `Invalid input: ${path} contains a NUL character (binary data); send text.`, { issues: [{ path, message: "Contains a NUL character; send text, not binary data." }] });
}
