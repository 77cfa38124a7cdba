import { z } from "zod";
import { atPointer, MISSING } from "./json-pointer";

// Providers describe their packages' input and output with JSON Schema; Agora
// validates run inputs and outputs against them on the request and worker
// threads. Compiled with zod's own converter (no code generation), after
// refusing what could make validation slow or reach out: regular expressions
// (`pattern`, `patternProperties`: a provider's regex run on a consumer's
// input could backtrack for minutes) and references other than local ones.

export const JSON_SCHEMA_MAX_BYTES = 64 * 1024;
const MAX_DEPTH = 32;
const REFUSED_KEYWORDS: Record<string, string> = {
  pattern: "regular expressions ('pattern') are not supported: they could make validating an input slow",
  patternProperties: "regular expressions ('patternProperties') are not supported: they could make validating an input slow",
};

/** A schema that cannot be used, with the JSON path (from the schema's root) of the part at fault. */
export class JsonSchemaProblem extends Error {
  constructor(
    readonly path: (string | number)[],
    message: string,
  ) {
    super(message);
  }
}

/** Parts of a schema, references followed, past which it is refused: validation costs at most this much per input value. */
export const JSON_SCHEMA_MAX_PARTS = 10_000;

/**
 * Refuses what could make validation slow, naming where. Regex keywords are refused wherever they
 * appear with a regex's shape (a string `pattern`, an object `patternProperties`), so a property
 * *named* "properties" cannot hide one. The schema is walked with its local references followed,
 * counting parts: a reference chain that expands exponentially (`allOf: [{$ref: a}, {$ref: a}]`,
 * repeated) or without end (a recursive schema) passes the bound and is refused.
 */
function check(root: object) {
  let parts = 0;
  const walk = (node: unknown, path: (string | number)[], refs: string[]): void => {
    if (++parts > JSON_SCHEMA_MAX_PARTS) throw new JsonSchemaProblem(path, `the schema expands to more than ${JSON_SCHEMA_MAX_PARTS.toLocaleString("en-US")} parts (references followed; recursive references are not supported)`);
    if (refs.length + path.length > MAX_DEPTH * 2 || path.length > MAX_DEPTH) throw new JsonSchemaProblem(path, `the schema is nested deeper than ${MAX_DEPTH} levels`);
    if (Array.isArray(node)) return node.forEach((v, i) => walk(v, [...path, i], refs));
    if (node === null || typeof node !== "object") return;
    for (const [k, v] of Object.entries(node)) {
      if ((k === "pattern" && typeof v === "string") || (k === "patternProperties" && v !== null && typeof v === "object")) throw new JsonSchemaProblem([...path, k], REFUSED_KEYWORDS[k]!);
      if (k === "$ref") {
        if (typeof v !== "string" || !v.startsWith("#")) throw new JsonSchemaProblem([...path, k], "only local references ('#/…') are supported");
        walk(resolveLocal(root, v, [...path, k]), [...path, k], [...refs, v]);
        continue;
      }
      walk(v, [...path, k], refs);
    }
  };
  walk(root, [], []);
}

/** The part of `root` a local reference ("#/$defs/a", a URI fragment holding a JSON Pointer) points at, or a problem naming `at`. */
function resolveLocal(root: object, ref: string, at: (string | number)[]): unknown {
  let pointer: string;
  try {
    pointer = decodeURIComponent(ref.slice(1));
  } catch {
    throw new JsonSchemaProblem(at, `the reference '${ref}' is not a valid URI fragment`);
  }
  const node = atPointer(root, pointer);
  if (node === MISSING) throw new JsonSchemaProblem(at, `the reference '${ref}' points at nothing in the schema`);
  return node;
}

/**
 * Compiles a provider's JSON Schema (draft 2020-12 keywords zod supports) into a
 * validator, or throws JsonSchemaProblem naming the part at fault. Bounded: the
 * schema's size (JSON_SCHEMA_MAX_BYTES) and its parts with references followed
 * (JSON_SCHEMA_MAX_PARTS).
 */
export function compileJsonSchema(schema: unknown): z.ZodType {
  if (schema === null || typeof schema !== "object" || Array.isArray(schema)) throw new JsonSchemaProblem([], "a JSON Schema must be an object");
  if (JSON.stringify(schema).length > JSON_SCHEMA_MAX_BYTES) throw new JsonSchemaProblem([], `the schema is larger than ${JSON_SCHEMA_MAX_BYTES / 1024} KB`);
  check(schema);
  try {
    return z.fromJSONSchema(schema as Parameters<typeof z.fromJSONSchema>[0]);
  } catch (err) {
    throw new JsonSchemaProblem([], `the schema does not compile: ${(err as Error).message}`);
  }
}

const compiled = new Map<string, z.ZodType>();
/** compileJsonSchema, kept per immutable package version and part ("<packageId>:input"). */
export function compiledSchema(key: string, schema: unknown): z.ZodType {
  let s = compiled.get(key);
  if (!s) {
    s = compileJsonSchema(schema);
    if (compiled.size >= 1000) compiled.delete(compiled.keys().next().value!);
    compiled.set(key, s);
  }
  return s;
}
