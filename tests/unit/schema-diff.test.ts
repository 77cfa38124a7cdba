import { describe, expect, it } from "vitest";
import { describeChange, diffInputSchemas, isMajorBump, nextMajor } from "@/lib/packages/schema-diff";

const obj = (properties: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({ type: "object", properties, ...extra });
const kinds = (before: unknown, after: unknown) => diffInputSchemas(before, after).map((c) => `${c.change} ${c.path}`);

describe("input schema diff (issue 20 breaking-change check)", () => {
  it("finds nothing between equal schemas, and allows widening changes", () => {
    const s = obj({ csv: { type: "string", maxLength: 100 }, n: { type: "integer", minimum: 1 } }, { required: ["csv"] });
    expect(diffInputSchemas(s, structuredClone(s))).toEqual([]);
    // a new optional property, a requirement dropped, a wider type, looser bounds, more enum values
    const wider = obj(
      { csv: { type: ["string", "null"], maxLength: 200 }, n: { type: "number", minimum: 0 }, extra: { type: "boolean" } },
      { required: [] },
    );
    expect(diffInputSchemas(s, wider)).toEqual([]);
    expect(diffInputSchemas(obj({ mode: { enum: ["a"] } }), obj({ mode: { enum: ["a", "b"] } }))).toEqual([]);
    expect(diffInputSchemas(obj({ a: { type: "string" } }, { additionalProperties: false }), obj({ a: { type: "string" } }))).toEqual([]);
  });

  it("reports a removed property with its old schema", () => {
    expect(diffInputSchemas(obj({ csv: { type: "string" }, n: { type: "number" } }), obj({ n: { type: "number" } }))).toEqual([
      { path: "/properties/csv", change: "property_removed", before: { type: "string" }, after: null },
    ]);
  });

  it("reports a property newly required, also a new required property", () => {
    expect(kinds(obj({ csv: { type: "string" } }), obj({ csv: { type: "string" } }, { required: ["csv"] }))).toEqual(["property_required /properties/csv"]);
    expect(kinds(obj({}), obj({ mode: { type: "string" } }, { required: ["mode"] }))).toEqual(["property_required /properties/mode"]);
  });

  it("reports narrowed types: a type removed from the set, number to integer, any to one", () => {
    expect(kinds(obj({ a: { type: ["string", "null"] } }), obj({ a: { type: "string" } }))).toEqual(["type_narrowed /properties/a/type"]);
    expect(diffInputSchemas(obj({ a: { type: "number" } }), obj({ a: { type: "integer" } }))[0]).toMatchObject({ before: "number", after: "integer" });
    expect(kinds(obj({ a: {} }), obj({ a: { type: "string" } }))).toEqual(["type_narrowed /properties/a/type"]);
    expect(kinds(obj({ a: { type: "string" } }), obj({ a: { type: "number" } }))).toEqual(["type_narrowed /properties/a/type"]);
  });

  it("reports enum values removed and an enum or const where there was none", () => {
    expect(diffInputSchemas(obj({ m: { enum: ["a", "b", "c"] } }), obj({ m: { enum: ["a"] } }))).toEqual([
      { path: "/properties/m/enum", change: "enum_values_removed", before: ["b", "c"], after: null },
    ]);
    expect(kinds(obj({ m: { type: "string" } }), obj({ m: { type: "string", enum: ["x"] } }))).toEqual(["enum_added /properties/m/enum"]);
    expect(kinds(obj({ m: { type: "string" } }), obj({ m: { type: "string", const: "x" } }))).toEqual(["enum_added /properties/m/const"]);
  });

  it("reports additionalProperties newly false", () => {
    expect(kinds(obj({ a: { type: "string" } }), obj({ a: { type: "string" } }, { additionalProperties: false }))).toEqual(["additional_properties_closed /additionalProperties"]);
    expect(kinds(obj({}, { additionalProperties: { type: "string" } }), obj({}, { additionalProperties: false }))).toEqual(["additional_properties_closed /additionalProperties"]);
    expect(kinds(obj({}, { additionalProperties: { type: ["string", "number"] } }), obj({}, { additionalProperties: { type: "string" } }))).toEqual(["type_narrowed /additionalProperties/type"]);
  });

  it("reports tightened bounds, new ones included, and allows loosened ones", () => {
    const before = obj({ s: { type: "string", minLength: 1, maxLength: 100 }, n: { type: "number", minimum: 0, maximum: 10 }, l: { type: "array", minItems: 1, maxItems: 5 } });
    const after = obj({ s: { type: "string", minLength: 2, maxLength: 50 }, n: { type: "number", minimum: 1, maximum: 9, exclusiveMaximum: 9 }, l: { type: "array", minItems: 0, maxItems: 4 } });
    expect(kinds(before, after)).toEqual([
      "bound_tightened /properties/s/minLength",
      "bound_tightened /properties/s/maxLength",
      "bound_tightened /properties/n/minimum",
      "bound_tightened /properties/n/maximum",
      "bound_tightened /properties/n/exclusiveMaximum",
      "bound_tightened /properties/l/maxItems",
    ]);
    expect(kinds(after, before)).toEqual(["bound_tightened /properties/l/minItems"]); // the other way, only minItems 0 → 1 tightens
  });

  it("recurses into nested properties and items", () => {
    const before = obj({ rows: { type: "array", items: obj({ id: { type: "string" }, tags: { type: "array", items: { type: ["string", "number"] } } }) } });
    const after = obj({ rows: { type: "array", items: obj({ tags: { type: "array", items: { type: "string" } } }, { required: ["tags"] }) } });
    expect(kinds(before, after)).toEqual([
      "property_removed /properties/rows/items/properties/id",
      "type_narrowed /properties/rows/items/properties/tags/items/type",
      "property_required /properties/rows/items/properties/tags",
    ]);
  });

  it("escapes property names as JSON Pointer tokens", () => {
    expect(kinds(obj({ "a/b~c": { type: "string" } }), obj({}))).toEqual(["property_removed /properties/a~1b~0c"]);
  });

  it("follows local $refs on both sides (a moved definition is no change; a narrowed one is)", () => {
    const inline = obj({ addr: obj({ city: { type: "string" } }) });
    const viaRef = { ...obj({ addr: { $ref: "#/$defs/address" } }), $defs: { address: obj({ city: { type: "string" } }) } };
    expect(diffInputSchemas(inline, viaRef)).toEqual([]);
    const narrowed = { ...obj({ addr: { $ref: "#/$defs/a2" } }), $defs: { a2: obj({ city: { type: "string" } }, { required: ["city"] }) } };
    expect(kinds(viaRef, narrowed)).toEqual(["property_required /properties/addr/properties/city"]);
  });

  it("treats a $ref it cannot follow as a change when it differs", () => {
    expect(kinds(obj({ a: { $ref: "#/$defs/x" } }), obj({ a: { $ref: "#/$defs/y" } }))).toEqual(["ref_changed /properties/a/$ref"]);
    expect(diffInputSchemas(obj({ a: { $ref: "#/$defs/x" } }), obj({ a: { $ref: "#/$defs/x" } }))).toEqual([]);
  });

  it("reports any change to a composition, conservatively", () => {
    expect(kinds(obj({ a: { anyOf: [{ type: "string" }, { type: "number" }] } }), obj({ a: { anyOf: [{ type: "string" }] } }))).toEqual(["composition_changed /properties/a/anyOf"]);
  });

  it("describes a change for people", () => {
    const [c] = diffInputSchemas(obj({ csv: { type: "string" } }), obj({}));
    expect(describeChange(c!)).toBe("/properties/csv was removed");
  });

  it("knows a major bump, with 0.x minors counting as major", () => {
    expect(isMajorBump("1.1.0", "2.0.0")).toBe(true);
    expect(isMajorBump("1.1.0", "1.2.0")).toBe(false);
    expect(isMajorBump("1.9.9", "2.0.0-rc.1")).toBe(true);
    expect(isMajorBump("0.3.1", "0.4.0")).toBe(true);
    expect(isMajorBump("0.3.1", "0.3.2")).toBe(false);
    expect(isMajorBump("0.3.1", "1.0.0")).toBe(true);
    expect(nextMajor("1.4.2")).toBe("2.0.0");
    expect(nextMajor("0.3.1")).toBe("0.4.0");
  });
});
