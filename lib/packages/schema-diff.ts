import type { DbTx } from "@/lib/db/client";
import { ApiError } from "@/lib/http/errors";
import { jsonEqual } from "@/lib/runs/json-equal";
import { atPointer, MISSING } from "./json-pointer";
import { compareSemver } from "./semver";

// The breaking-change check on publishing (issue 20 item 1). A new version's
// input JSON Schema is compared with the previous version's (the highest
// PUBLISHED or YANKED version below it): every change that could make an input
// the previous version accepted invalid now is listed — a property removed or
// newly required, a type narrowed, enum values removed, additionalProperties
// newly false, a min/max bound tightened — recursing into properties, items
// and additionalProperties, local $refs followed. Such a change needs a major
// bump (1.x → 2.0.0; on 0.x the minor counts as major, as semver's "anything
// may change" convention has it); otherwise validating, submitting and
// approving the version is refused with the diff. Compositions (allOf, anyOf,
// oneOf, not, if/then/else) are not analysed: any change to one is reported
// as a change, conservatively.

export type SchemaChange = { path: string; change: SchemaChangeKind; before: unknown; after: unknown };
export type SchemaChangeKind =
  | "property_removed"
  | "property_required"
  | "type_narrowed"
  | "enum_values_removed"
  | "enum_added"
  | "additional_properties_closed"
  | "bound_tightened"
  | "ref_changed"
  | "composition_changed";

type Schema = Record<string, unknown>;
const isSchema = (v: unknown): v is Schema => v !== null && typeof v === "object" && !Array.isArray(v);

const LOWER_BOUNDS = ["minimum", "exclusiveMinimum", "minLength", "minItems", "minProperties"] as const;
const UPPER_BOUNDS = ["maximum", "exclusiveMaximum", "maxLength", "maxItems", "maxProperties"] as const;
const COMPOSITIONS = ["allOf", "anyOf", "oneOf", "not", "if", "then", "else"] as const;
const MAX_DEPTH = 64;

const escapeToken = (key: string) => key.replace(/~/g, "~0").replace(/\//g, "~1");

/** The types a schema admits (null: any type). */
function typesOf(s: Schema): string[] | null {
  if (typeof s.type === "string") return [s.type];
  if (Array.isArray(s.type)) return s.type.filter((t): t is string => typeof t === "string");
  return null;
}

/** Whether a value of type `t` is still admitted by `types` ("integer" is within "number"). */
const admits = (types: string[] | null, t: string) => types === null || types.includes(t) || (t === "integer" && types.includes("number"));

/** Follows a schema's local $ref (in its own document) — null when it cannot be followed. */
function follow(root: Schema, s: Schema, depth: number): Schema | null {
  let at: unknown = s;
  for (let hops = 0; isSchema(at) && typeof at.$ref === "string"; hops++) {
    if (hops + depth > MAX_DEPTH || !at.$ref.startsWith("#")) return null;
    let pointer: string;
    try {
      pointer = decodeURIComponent(at.$ref.slice(1));
    } catch {
      return null;
    }
    const target = atPointer(root, pointer);
    if (target === MISSING || !isSchema(target)) return null;
    // Keywords beside a $ref apply too (2020-12): the referenced schema, with them on top.
    const { $ref: _ref, ...beside } = at;
    at = { ...target, ...beside };
  }
  return isSchema(at) ? at : null;
}

/**
 * The incompatible changes from `before` to `after` (two input JSON Schemas): an empty list when
 * every input `before` accepts is still accepted by `after`, as far as these keywords tell.
 */
export function diffInputSchemas(before: unknown, after: unknown): SchemaChange[] {
  const changes: SchemaChange[] = [];
  const oldRoot = isSchema(before) ? before : {};
  const newRoot = isSchema(after) ? after : {};
  const add = (path: string, change: SchemaChangeKind, b: unknown, a: unknown) => changes.push({ path: path || "/", change, before: b ?? null, after: a ?? null });

  const walk = (rawOld: Schema, rawNew: Schema, path: string, depth: number): void => {
    if (depth > MAX_DEPTH) return;
    const o = follow(oldRoot, rawOld, depth);
    const n = follow(newRoot, rawNew, depth);
    if (!o || !n) {
      if (!jsonEqual(rawOld.$ref, rawNew.$ref)) add(`${path}/$ref`, "ref_changed", rawOld.$ref, rawNew.$ref);
      return;
    }

    const oldTypes = typesOf(o);
    const newTypes = typesOf(n);
    const removedTypes = (oldTypes ?? ["any"]).filter((t) => (t === "any" ? newTypes !== null : !admits(newTypes, t)));
    if (removedTypes.length) add(`${path}/type`, "type_narrowed", o.type ?? "any", n.type);

    if (Array.isArray(n.enum)) {
      if (!Array.isArray(o.enum)) add(`${path}/enum`, "enum_added", o.enum, n.enum);
      else {
        const newEnum = n.enum;
        const removed = o.enum.filter((v) => !newEnum.some((w) => jsonEqual(v, w)));
        if (removed.length) add(`${path}/enum`, "enum_values_removed", removed, null);
      }
    }
    if ("const" in n && !("const" in o && jsonEqual(o.const, n.const))) add(`${path}/const`, "enum_added", o.const, n.const);

    for (const k of LOWER_BOUNDS) {
      if (typeof n[k] === "number" && !(typeof o[k] === "number" && o[k] >= n[k])) add(`${path}/${k}`, "bound_tightened", o[k], n[k]);
    }
    for (const k of UPPER_BOUNDS) {
      if (typeof n[k] === "number" && !(typeof o[k] === "number" && o[k] <= n[k])) add(`${path}/${k}`, "bound_tightened", o[k], n[k]);
    }

    for (const k of COMPOSITIONS) if (!jsonEqual(o[k], n[k])) add(`${path}/${k}`, "composition_changed", o[k], n[k]);

    // Properties: removed, newly required, and each kept one compared.
    const oldProps = isSchema(o.properties) ? o.properties : {};
    const newProps = isSchema(n.properties) ? n.properties : {};
    for (const [key, oldProp] of Object.entries(oldProps)) {
      const at = `${path}/properties/${escapeToken(key)}`;
      if (!(key in newProps)) add(at, "property_removed", oldProp, null);
      else if (isSchema(oldProp) && isSchema(newProps[key])) walk(oldProp, newProps[key], at, depth + 1);
      else if (oldProp === true && newProps[key] === false) add(at, "type_narrowed", true, false);
    }
    const oldRequired = new Set(Array.isArray(o.required) ? o.required : []);
    for (const key of Array.isArray(n.required) ? n.required : []) {
      if (typeof key === "string" && !oldRequired.has(key)) add(`${path}/properties/${escapeToken(key)}`, "property_required", false, true);
    }

    // Other properties: closed now, or held to a schema they were not held to.
    const oldExtra = o.additionalProperties;
    const newExtra = n.additionalProperties;
    if (newExtra === false && oldExtra !== false) add(`${path}/additionalProperties`, "additional_properties_closed", oldExtra ?? true, false);
    else if (isSchema(newExtra) && oldExtra !== false) walk(isSchema(oldExtra) ? oldExtra : {}, newExtra, `${path}/additionalProperties`, depth + 1);
    // A new optional property is compatible (what callers sent under that name before was not the package's input).

    if (isSchema(n.items)) walk(isSchema(o.items) ? o.items : {}, n.items, `${path}/items`, depth + 1);
    else if (n.items === false && o.items !== false) add(`${path}/items`, "type_narrowed", o.items ?? true, false);
  };

  walk(oldRoot, newRoot, "", 0);
  return changes;
}

const CHANGE_WORDS: Record<SchemaChangeKind, string> = {
  property_removed: "was removed",
  property_required: "is now required",
  type_narrowed: "accepts fewer types",
  enum_values_removed: "lost allowed values",
  enum_added: "now allows only listed values",
  additional_properties_closed: "no longer allows other properties",
  bound_tightened: "has a tighter bound",
  ref_changed: "points at another definition",
  composition_changed: "changed its allOf/anyOf/oneOf/not",
};

/** "/properties/csv was removed", for people. */
export const describeChange = (c: SchemaChange) => `${c.path} ${CHANGE_WORDS[c.change]}`;

const major = (v: string) => v.split("-")[0]!.split(".").map(Number);

/** Whether `next` is a major bump over `previous` (on 0.x a minor bump counts as major). */
export function isMajorBump(previous: string, next: string): boolean {
  const [pMajor, pMinor] = major(previous);
  const [nMajor, nMinor] = major(next);
  if (nMajor! !== pMajor!) return nMajor! > pMajor!;
  return pMajor === 0 && nMinor! > pMinor!;
}

/** The smallest version that is a major bump over `previous`: "2.0.0" after 1.4.2, "0.4.0" after 0.3.1. */
export function nextMajor(previous: string): string {
  const [pMajor, pMinor] = major(previous);
  return pMajor === 0 ? `0.${pMinor! + 1}.0` : `${pMajor! + 1}.0.0`;
}

/** The version a new one is compared with: the highest PUBLISHED or YANKED version of the slug below it. */
export async function previousVersion(tx: DbTx, slug: string, version: string) {
  const rows = await tx.agentPackage.findMany({ where: { slug, status: { in: ["PUBLISHED", "YANKED"] } }, select: { version: true, inputSchema: true } });
  return rows.filter((r) => compareSemver(r.version, version) < 0).sort((a, b) => compareSemver(b.version, a.version))[0] ?? null;
}

/**
 * Refuses (400, `details: { changes, previous }`) a version whose input schema breaks the previous
 * version's inputs without a major bump. Call inside the transaction that moves the version on.
 */
export async function assertCompatibleInput(tx: DbTx, pkg: { slug: string; version: string; inputSchema: unknown }): Promise<void> {
  const previous = await previousVersion(tx, pkg.slug, pkg.version);
  if (!previous || isMajorBump(previous.version, pkg.version)) return;
  const changes = diffInputSchemas(previous.inputSchema, pkg.inputSchema);
  if (!changes.length) return;
  const more = changes.length > 1 ? ` (and ${changes.length - 1} more change${changes.length > 2 ? "s" : ""})` : "";
  const zeroX = major(previous.version)[0] === 0 ? " (on 0.x the minor version counts as major)" : "";
  throw new ApiError(
    "validation_failed",
    `Input schema: ${describeChange(changes[0]!)} since ${previous.version}${more}. An incompatible input change needs a major version: publish it as ${nextMajor(previous.version)} or higher${zeroX}, or keep the input compatible.`,
    { changes, previous: previous.version },
  );
}
