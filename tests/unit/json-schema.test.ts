import { describe, expect, it } from "vitest";
import { compileJsonSchema, JsonSchemaProblem } from "@/lib/packages/json-schema";

function problemOf(schema: unknown) {
  try {
    compileJsonSchema(schema);
  } catch (err) {
    if (err instanceof JsonSchemaProblem) return { path: err.path, message: err.message };
    throw err;
  }
  return undefined;
}

describe("a provider's JSON Schema", () => {
  it("compiles into a validator that names the path of what is wrong", () => {
    const s = compileJsonSchema({ type: "object", properties: { csv: { type: "string" }, n: { type: "integer", minimum: 1 } }, required: ["csv"], additionalProperties: false });
    expect(s.safeParse({ csv: "a,b", n: 2 }).success).toBe(true);
    const bad = s.safeParse({ csv: 5, n: 0, extra: true });
    expect(bad.error?.issues.map((i) => i.path.join("."))).toEqual(expect.arrayContaining(["csv", "n"]));
  });

  it("refuses regular expressions (but not a property named 'pattern'), remote references, non-objects and unknown types, naming where", () => {
    expect(problemOf({ type: "object", properties: { id: { type: "string", pattern: "(a+)+$" } } })).toMatchObject({ path: ["properties", "id", "pattern"] });
    expect(problemOf({ type: "object", patternProperties: { "^x": { type: "string" } } })).toMatchObject({ path: ["patternProperties"] });
    expect(problemOf({ type: "object", properties: { pattern: { type: "string" } } })).toBeUndefined();
    expect(problemOf({ $ref: "https://example.com/schema.json" })).toMatchObject({ path: ["$ref"], message: expect.stringContaining("local") });
    expect(problemOf(["not", "an", "object"])).toMatchObject({ path: [], message: "a JSON Schema must be an object" });
    expect(problemOf({ type: "nonsense" })).toMatchObject({ path: [], message: expect.stringContaining("does not compile") });
    expect(problemOf({ type: "object", properties: { constructor: { type: "string" }, toString: { type: "number" } } })).toBeUndefined();
  });

  it("finds a regular expression hidden under a property named 'properties' or in $defs", () => {
    expect(problemOf({ type: "object", properties: { properties: { type: "string", pattern: "^(a+)+$" } } })).toMatchObject({ path: ["properties", "properties", "pattern"] });
    expect(problemOf({ $defs: { properties: { type: "string", pattern: "^(a+)+$" } }, type: "string" })).toMatchObject({ path: ["$defs", "properties", "pattern"] });
    expect(problemOf({ type: "object", properties: { properties: { type: "object", patternProperties: { x: {} } } } })?.path.at(-1)).toBe("patternProperties");
  });

  it("refuses references that expand exponentially or without end, and references to nothing", () => {
    const defs: Record<string, unknown> = { a0: { type: "string" } };
    for (let i = 1; i <= 40; i++) defs[`a${i}`] = { allOf: [{ $ref: `#/$defs/a${i - 1}` }, { $ref: `#/$defs/a${i - 1}` }] };
    expect(problemOf({ $defs: defs, $ref: "#/$defs/a40" })?.message).toMatch(/expands to more than 10,000 parts|deeper than/);
    expect(problemOf({ $defs: { node: { type: "object", properties: { next: { $ref: "#/$defs/node" } } } }, $ref: "#/$defs/node" })?.message).toMatch(/expands to more than|deeper than/);
    expect(problemOf({ $ref: "#/$defs/missing" })).toMatchObject({ path: ["$ref"], message: expect.stringContaining("points at nothing") });
    expect(problemOf({ $ref: "#/%E0%A4%A" })).toMatchObject({ path: ["$ref"], message: expect.stringContaining("not a valid URI fragment") }); // a 400, not a URIError
    // A reference used a few times is fine.
    expect(problemOf({ $defs: { name: { type: "string" } }, type: "object", properties: { a: { $ref: "#/$defs/name" }, b: { $ref: "#/$defs/name" } } })).toBeUndefined();
  });

  it("refuses a schema past the size and depth bounds", () => {
    let deep: Record<string, unknown> = { type: "string" };
    for (let i = 0; i < 20; i++) deep = { type: "object", properties: { a: deep } };
    expect(problemOf(deep)?.message).toContain("deeper than");
    expect(problemOf({ type: "string", description: "x".repeat(70_000) })?.message).toContain("larger than");
  });
});
