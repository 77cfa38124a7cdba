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

  it("refuses a schema past the size and depth bounds", () => {
    let deep: Record<string, unknown> = { type: "string" };
    for (let i = 0; i < 20; i++) deep = { type: "object", properties: { a: deep } };
    expect(problemOf(deep)?.message).toContain("deeper than");
    expect(problemOf({ type: "string", description: "x".repeat(70_000) })?.message).toContain("larger than");
  });
});
