import { z } from "zod";

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

function check(node: unknown, path: (string | number)[]): void {
  if (path.length > MAX_DEPTH) throw new JsonSchemaProblem(path, `the schema is nested deeper than ${MAX_DEPTH} levels`);
  if (Array.isArray(node)) return node.forEach((v, i) => check(v, [...path, i]));
  if (node === null || typeof node !== "object") return;
  for (const [k, v] of Object.entries(node)) {
    const refused = path.at(-1) !== "properties" && Object.hasOwn(REFUSED_KEYWORDS, k) ? REFUSED_KEYWORDS[k] : undefined;
    if (refused) throw new JsonSchemaProblem([...path, k], refused);
    if (k === "$ref" && (typeof v !== "string" || !v.startsWith("#"))) throw new JsonSchemaProblem([...path, k], "only local references ('#/…') are supported");
    check(v, [...path, k]);
  }
}

/**
 * Compiles a provider's JSON Schema (draft 2020-12 keywords zod supports) into a
 * validator, or throws JsonSchemaProblem naming the part at fault. Linear in the
 * schema's size, which is bounded (JSON_SCHEMA_MAX_BYTES).
 */
export function compileJsonSchema(schema: unknown): z.ZodType {
  if (schema === null || typeof schema !== "object" || Array.isArray(schema)) throw new JsonSchemaProblem([], "a JSON Schema must be an object");
  if (JSON.stringify(schema).length > JSON_SCHEMA_MAX_BYTES) throw new JsonSchemaProblem([], `the schema is larger than ${JSON_SCHEMA_MAX_BYTES / 1024} KB`);
  check(schema, []);
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
