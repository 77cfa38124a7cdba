import { jsonEqual } from "@/lib/runs/json-equal";

// A structural diff of two JSON values (an upgrade preview's outputs: lib/packages/upgrade-preview.ts):
// the paths (RFC 6901 JSON Pointers, "/rows/0/name") that were added, removed or changed, each with its
// before/after value as bounded JSON text. Objects compare key by key, arrays index by index (no
// alignment search), so the work is linear in the two values' size; it stops at `maxEntries` entries
// (`truncated`), and below `maxDepth` levels a differing subtree is one "changed" entry.

export type JsonDiffEntry = {
  path: string;
  kind: "added" | "removed" | "changed";
  /** The value before (absent for "added"), as JSON text cut at `maxValueChars` ("…" at the end when cut). */
  before?: string;
  after?: string;
};
export type JsonDiff = { equal: boolean; entries: JsonDiffEntry[]; truncated: boolean };
export type JsonDiffLimits = { maxEntries?: number; maxDepth?: number; maxValueChars?: number };

export const JSON_DIFF_LIMITS = { maxEntries: 50, maxDepth: 8, maxValueChars: 200 } as const;

const escapeToken = (token: string) => token.replace(/~/g, "~0").replace(/\//g, "~1");
const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === "object" && !Array.isArray(v);

/** `value` as JSON text of at most `max` characters (+ "…" when cut); never stringifies more than it shows. */
export function boundedJson(value: unknown, max: number): string {
  let out = "";
  let cut = false;
  const push = (s: string) => {
    if (out.length + s.length > max) {
      out += s.slice(0, max - out.length);
      cut = true;
    } else out += s;
    return !cut;
  };
  const walk = (v: unknown): boolean => {
    if (Array.isArray(v)) {
      if (!push("[")) return false;
      for (let i = 0; i < v.length; i++) if ((i > 0 && !push(",")) || !walk(v[i])) return false;
      return push("]");
    }
    if (isObject(v)) {
      if (!push("{")) return false;
      let first = true;
      for (const [k, item] of Object.entries(v)) {
        if (item === undefined) continue;
        if ((!first && !push(",")) || !push(`${JSON.stringify(k)}:`) || !walk(item)) return false;
        first = false;
      }
      return push("}");
    }
    if (typeof v === "string") return push(JSON.stringify(v.length > max ? v.slice(0, max) : v));
    return push(v === undefined ? "null" : JSON.stringify(v));
  };
  walk(value);
  return cut ? `${out}…` : out;
}

/** The differences from `before` to `after` (see the header); `equal` is whether they are the same JSON. */
export function jsonDiff(before: unknown, after: unknown, limits: JsonDiffLimits = {}): JsonDiff {
  const { maxEntries, maxDepth, maxValueChars } = { ...JSON_DIFF_LIMITS, ...limits };
  const entries: JsonDiffEntry[] = [];
  let truncated = false;
  const add = (entry: JsonDiffEntry) => {
    if (entries.length >= maxEntries) truncated = true;
    else entries.push(entry);
  };
  const text = (v: unknown) => boundedJson(v, maxValueChars);

  const walk = (a: unknown, b: unknown, path: string, depth: number): void => {
    if (truncated || a === b) return;
    const bothArrays = Array.isArray(a) && Array.isArray(b);
    const bothObjects = isObject(a) && isObject(b);
    if (!(bothArrays || bothObjects) || depth >= maxDepth) {
      if (!jsonEqual(a, b)) add({ path, kind: "changed", before: text(a), after: text(b) });
      return;
    }
    if (bothArrays) {
      const [x, y] = [a as unknown[], b as unknown[]];
      const common = Math.min(x.length, y.length);
      for (let i = 0; i < common && !truncated; i++) walk(x[i], y[i], `${path}/${i}`, depth + 1);
      for (let i = common; i < x.length && !truncated; i++) add({ path: `${path}/${i}`, kind: "removed", before: text(x[i]) });
      for (let i = common; i < y.length && !truncated; i++) add({ path: `${path}/${i}`, kind: "added", after: text(y[i]) });
      return;
    }
    const [x, y] = [a as Record<string, unknown>, b as Record<string, unknown>];
    for (const [k, v] of Object.entries(x)) {
      if (truncated) return;
      if (v === undefined) continue;
      const p = `${path}/${escapeToken(k)}`;
      if (!Object.hasOwn(y, k) || y[k] === undefined) add({ path: p, kind: "removed", before: text(v) });
      else walk(v, y[k], p, depth + 1);
    }
    for (const [k, v] of Object.entries(y)) {
      if (truncated) return;
      if (v !== undefined && (!Object.hasOwn(x, k) || x[k] === undefined)) add({ path: `${path}/${escapeToken(k)}`, kind: "added", after: text(v) });
    }
  };
  walk(before, after, "", 0);
  return { equal: entries.length === 0 && !truncated, entries, truncated };
}
