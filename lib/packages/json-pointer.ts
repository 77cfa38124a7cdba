// RFC 6901 JSON Pointers ("/a/0/b"), as hosted manifests' templates and providers' JSON Schema
// references ("#/$defs/a") use them.

/** What a pointer to nothing resolves to. */
export const MISSING = Symbol("missing");
export const unescapeToken = (token: string) => token.replace(/~1/g, "/").replace(/~0/g, "~");

/** RFC 6901: the value at `pointer` in `doc`, or MISSING. */
export function atPointer(doc: unknown, pointer: string): unknown {
  if (pointer === "") return doc;
  if (!pointer.startsWith("/")) return MISSING;
  let at = doc;
  for (const raw of pointer.slice(1).split("/")) {
    const token = unescapeToken(raw);
    if (Array.isArray(at) && /^(0|[1-9]\d*)$/.test(token) && Number(token) < at.length) at = at[Number(token)];
    else if (at !== null && typeof at === "object" && !Array.isArray(at) && Object.hasOwn(at, token)) at = (at as Record<string, unknown>)[token];
    else return MISSING;
  }
  return at;
}
