// "Accepts my data" (issue 20 item 6): the kinds of data a package's input schema
// takes, derived from the JSON Schema alone, so a provider cannot claim a kind its
// input does not have. Written to AgentPackage.accepts when a version is stored
// (built-ins' sync, a provider's create/update); an empty array means "not derived
// yet" and the packages.stats job fills it (rows stored before the column existed).
import type { DbTx } from "@/lib/db/client";

export const dataKinds = ["csv", "json", "yaml", "files", "text"] as const;
export type DataKind = (typeof dataKinds)[number];

export const dataKindLabels: Record<DataKind, string> = { csv: "CSV", json: "JSON", yaml: "YAML", files: "Files", text: "Plain text" };

type Schema = { [key: string]: unknown };
const isSchema = (v: unknown): v is Schema => typeof v === "object" && v !== null && !Array.isArray(v);

/** A string shorter than this (a name, an e-mail, a subject line) is a field, not a body of text. */
const LONG_TEXT = 1_000;
/** How deep nested objects are looked into (ticket.body is text; a file's content is not). */
const MAX_DEPTH = 4;

/** Words in a property's name or description that say which kind a string holds. */
const hints: [DataKind, RegExp][] = [
  ["csv", /\b(csv|tsv)\b|spreadsheet|comma[- ]separated/i],
  ["yaml", /\b(ya?ml)\b|\bmanifest\b|compose file|kubernetes/i],
  ["json", /\bjson\b/i],
];
const mediaTypes: [DataKind, RegExp][] = [
  ["csv", /^text\/(csv|tab-separated-values)$/i],
  ["yaml", /^(application|text)\/(x-)?yaml$/i],
  ["json", /^application\/(.+\+)?json$/i],
  ["text", /^text\//i],
];
/** A string field named like these is tabular data given as text (the report generator's `data`: CSV or JSON). */
const TABULAR_NAME = /^(data|dataset|table|rows|records)$/i;
/** An array item with one of each names a file: `{ path, content }`, `{ name, data }`. */
const FILE_NAME_KEYS = ["path", "name", "filename", "fileName"];
const FILE_BODY_KEYS = ["content", "contents", "data", "text", "body"];

const typesOf = (s: Schema): string[] => (Array.isArray(s.type) ? s.type.filter((t): t is string => typeof t === "string") : typeof s.type === "string" ? [s.type] : []);
/** A schema's alternatives (oneOf/anyOf/allOf branches), each looked at like the schema itself. */
const branchesOf = (s: Schema): Schema[] => ["oneOf", "anyOf", "allOf"].flatMap((k) => (Array.isArray(s[k]) ? (s[k] as unknown[]).filter(isSchema) : []));
const propertiesOf = (s: Schema): [string, Schema][] => (isSchema(s.properties) ? Object.entries(s.properties).filter((e): e is [string, Schema] => isSchema(e[1])) : []);

function isFileObject(s: Schema): boolean {
  const keys = propertiesOf(s).map(([k]) => k);
  return keys.some((k) => FILE_NAME_KEYS.includes(k)) && keys.some((k) => FILE_BODY_KEYS.includes(k));
}

/** What one string field takes: a hinted kind, a file, free text, or nothing (an enum, an e-mail, a short name). */
function stringKinds(name: string, s: Schema): DataKind[] {
  const media = typeof s.contentMediaType === "string" ? s.contentMediaType : "";
  if (s.contentEncoding === "base64" || s.format === "binary" || s.format === "byte") return ["files"];
  const byMedia = mediaTypes.find(([, re]) => re.test(media));
  if (byMedia) return [byMedia[0]];
  if (s.format === "json") return ["json"];
  const words = `${name} ${typeof s.title === "string" ? s.title : ""} ${typeof s.description === "string" ? s.description : ""}`;
  const hinted = hints.filter(([, re]) => re.test(words)).map(([kind]) => kind);
  if (hinted.length) return hinted;
  if (s.enum !== undefined || s.const !== undefined || typeof s.format === "string" || typeof s.pattern === "string") return [];
  if (TABULAR_NAME.test(name)) return ["csv", "json"];
  const max = typeof s.maxLength === "number" ? s.maxLength : Infinity;
  return max >= LONG_TEXT ? ["text"] : [];
}

function walk(name: string, s: Schema, depth: number, into: Set<DataKind>): void {
  if (depth > MAX_DEPTH) return;
  for (const branch of branchesOf(s)) walk(name, branch, depth + 1, into);
  const types = typesOf(s);
  if (types.includes("string")) for (const kind of stringKinds(name, s)) into.add(kind);
  if (types.includes("array") && isSchema(s.items)) {
    const items = s.items;
    if (isFileObject(items) || (typesOf(items).includes("string") && stringKinds(name, items).includes("files"))) into.add("files");
    else if (/\bfiles?\b|attachments?/i.test(name)) into.add("files");
    // Lists of short strings (column names, tags) are options, not data: only objects are looked into.
    else if (typesOf(items).includes("object")) walk(name, items, depth + 1, into);
  }
  if (types.includes("object") || isSchema(s.properties)) {
    const properties = propertiesOf(s);
    // A free-form object (`{ alert: {...anything} }`) takes a JSON document.
    if (depth > 0 && (properties.length === 0 || s.additionalProperties === true || isSchema(s.additionalProperties)) && s.additionalProperties !== false) into.add("json");
    for (const [key, child] of properties) walk(key, child, depth + 1, into);
  }
}

/** The kinds of data an input JSON Schema accepts, in `dataKinds` order. */
export function acceptedData(inputSchema: unknown): DataKind[] {
  if (!isSchema(inputSchema)) return [];
  const found = new Set<DataKind>();
  walk("", inputSchema, 0, found);
  return dataKinds.filter((k) => found.has(k));
}

/**
 * Part of the packages.stats job: fills `accepts` of latest versions stored before it was derived on write
 * (sync and version saves derive it now), a batch at a time, so no catalog request does this work.
 * Returns how many rows it filled.
 */
export async function deriveMissingAccepts(jobDb: DbTx, batch = 200): Promise<number> {
  let filled = 0;
  let after = "";
  for (;;) {
    const missing = await jobDb.$queryRaw<{ id: string; inputSchema: unknown }[]>`
      SELECT id, "inputSchema" FROM "AgentPackage" WHERE "isLatest" AND cardinality(accepts) = 0 AND id > ${after} ORDER BY id LIMIT ${batch}`;
    const derived = missing.map((r) => ({ id: r.id, accepts: acceptedData(r.inputSchema) })).filter((r) => r.accepts.length);
    if (derived.length) {
      filled += await jobDb.$executeRaw`
        UPDATE "AgentPackage" p SET accepts = d.accepts
        FROM jsonb_to_recordset(${JSON.stringify(derived)}::jsonb) AS d(id text, accepts text[])
        WHERE p.id = d.id AND cardinality(p.accepts) = 0`;
    }
    if (missing.length < batch) return filled;
    after = missing.at(-1)!.id;
  }
}
