import { describe, expect, it } from "vitest";
import { ApiError } from "@/lib/http/errors";
import { assertJsonDepth, MAX_JSON_DEPTH, nulPath } from "@/lib/http/validate";

// The walks over request JSON use an explicit stack: no body can overflow them.

const nested = (levels: number, inner: unknown = 1): unknown => {
  let value = inner;
  for (let i = 0; i < levels; i++) value = i % 2 ? { a: value } : [value];
  return value;
};
const refusal = (value: unknown) => {
  try {
    assertJsonDepth(value);
    return null;
  } catch (err) {
    return err;
  }
};

describe("JSON depth and NUL checks", () => {
  it(`accepts ${MAX_JSON_DEPTH} levels of arrays and objects and refuses one more with a 400 naming the limit`, () => {
    expect(refusal(nested(MAX_JSON_DEPTH))).toBeNull();
    const err = refusal(nested(MAX_JSON_DEPTH + 1));
    expect(err).toBeInstanceOf(ApiError);
    expect(err).toMatchObject({ status: 400, code: "validation_failed", details: { maxDepth: MAX_JSON_DEPTH } });
    expect((err as ApiError).message).toContain(`${MAX_JSON_DEPTH} levels`);
  });

  it("finds a NUL 100,000 levels down, and the first one in document order, in values and keys", () => {
    expect(nulPath(nested(100_000, "x\u0000"))?.split(".")).toHaveLength(100_000);
    expect(nulPath({ a: ["ok", "b\u0000"], b: "c\u0000" })).toBe("a.1");
    expect(nulPath({ ok: 1, ["k\u0000"]: 2 })).toBe("k\u0000");
    expect(nulPath({ a: [1, { b: "clean" }] })).toBeNull();
  });
});
