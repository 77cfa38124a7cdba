import { describe, expect, it } from "vitest";
import { boundedJson, jsonDiff } from "@/lib/packages/json-diff";

describe("jsonDiff (upgrade preview outputs)", () => {
  it("finds nothing between equal values, whatever their key order", () => {
    expect(jsonDiff({ a: 1, b: [1, { c: "x" }] }, { b: [1, { c: "x" }], a: 1 })).toEqual({ equal: true, entries: [], truncated: false });
    expect(jsonDiff(null, null).equal).toBe(true);
  });

  it("names added, removed and changed paths in nested objects, with before/after as JSON", () => {
    const before = { summary: "ok", stats: { rows: 2, cols: { first: "city" } }, old: true };
    const after = { summary: "ok", stats: { rows: 3, cols: { first: "city", second: "visits" } }, added: [1] };
    expect(jsonDiff(before, after).entries).toEqual([
      { path: "/stats/rows", kind: "changed", before: "2", after: "3" },
      { path: "/stats/cols/second", kind: "added", after: '"visits"' },
      { path: "/old", kind: "removed", before: "true" },
      { path: "/added", kind: "added", after: "[1]" },
    ]);
  });

  it("compares arrays index by index: a changed element, extra elements added or removed at the end", () => {
    expect(jsonDiff([1, 2, 3], [1, 5]).entries).toEqual([
      { path: "/1", kind: "changed", before: "2", after: "5" },
      { path: "/2", kind: "removed", before: "3" },
    ]);
    expect(jsonDiff({ xs: [{ n: 1 }] }, { xs: [{ n: 1 }, { n: 2 }] }).entries).toEqual([{ path: "/xs/1", kind: "added", after: '{"n":2}' }]);
  });

  it("reports a change of type at its path, and the whole value when one side is missing (a failed run's null output)", () => {
    expect(jsonDiff({ a: [1] }, { a: { 0: 1 } }).entries).toEqual([{ path: "/a", kind: "changed", before: "[1]", after: '{"0":1}' }]);
    expect(jsonDiff(null, { rows: 1 }).entries).toEqual([{ path: "", kind: "changed", before: "null", after: '{"rows":1}' }]);
  });

  it("escapes keys in paths as JSON Pointers", () => {
    expect(jsonDiff({ "a/b": 1, "c~d": 1 }, { "a/b": 2, "c~d": 2 }).entries.map((e) => e.path)).toEqual(["/a~1b", "/c~0d"]);
  });

  it("is bounded: at most maxEntries entries, one entry for a differing subtree below maxDepth, values cut at maxValueChars", () => {
    const wide = (v: number) => Object.fromEntries(Array.from({ length: 10_000 }, (_, i) => [`k${i}`, v]));
    const many = jsonDiff(wide(1), wide(2), { maxEntries: 50 });
    expect(many.entries).toHaveLength(50);
    expect(many).toMatchObject({ equal: false, truncated: true });

    const deep = (leaf: unknown) => ({ a: { b: { c: { d: leaf } } } });
    expect(jsonDiff(deep(1), deep(2), { maxDepth: 2 }).entries).toEqual([{ path: "/a/b", kind: "changed", before: '{"c":{"d":1}}', after: '{"c":{"d":2}}' }]);

    const long = "x".repeat(100_000);
    const [entry] = jsonDiff({ text: long }, { text: `${long}y` }, { maxValueChars: 40 }).entries;
    expect(entry!.before).toHaveLength(41);
    expect(entry!.before!.endsWith("…")).toBe(true);
  });

  // Linear by construction (key by key, index by index); its time is not asserted here (timing goals live in bench/):
  // a quadratic diff of 100,000 elements would not finish within the test's timeout.
  it("diffs big outputs: 100,000 array elements, one change found", () => {
    const big = Array.from({ length: 100_000 }, (_, i) => ({ id: i, name: `row ${i}` }));
    const changed = big.map((r) => (r.id === 99_999 ? { ...r, name: "last" } : r));
    const diff = jsonDiff(big, changed);
    expect(diff.entries).toEqual([{ path: "/99999/name", kind: "changed", before: '"row 99999"', after: '"last"' }]);
  });
});

describe("boundedJson", () => {
  it("writes whole JSON when it fits and stops at the limit when it does not, without stringifying the rest", () => {
    expect(boundedJson({ a: [1, "b"], c: null }, 100)).toBe('{"a":[1,"b"],"c":null}');
    expect(boundedJson({ a: [1, "b"], c: null }, 8)).toBe('{"a":[1,…');
    expect(boundedJson("x".repeat(10), 10)).toBe('"xxxxxxxxx…');
  });
});
