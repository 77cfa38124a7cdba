import { describe, expect, it } from "vitest";
import { compileAcceptance } from "@/lib/exchange/acceptance";

// Acceptance criteria as posted (issue 21 item 1): compiled up front, so a work
// never holds escrow for criteria that cannot be applied; each problem is a 400
// naming its path.

const schema = { type: "object", properties: { summary: { type: "string" }, score: { type: "number" } }, required: ["summary"] };

describe("compileAcceptance", () => {
  it("accepts an output schema with every kind of check", () => {
    const a = compileAcceptance({
      outputSchema: schema,
      checks: [
        { type: "required", paths: ["/summary"] },
        { type: "range", path: "/score", min: 0, max: 1 },
        { type: "regex", path: "/summary", pattern: "^[A-Z].*\\.$", caseInsensitive: true },
        { type: "citations", path: "/sources", min: 2 },
        { type: "evaluator", package: "report-grader@1", threshold: 0.8 },
      ],
    });
    expect(a.checks).toHaveLength(5);
    expect(a.checks[4]).toMatchObject({ scorePath: "/score" });
  });

  it.each([
    [{ outputSchema: { type: "object", properties: { a: { $ref: "#/nowhere" } } } }, "acceptance.outputSchema.properties.a.$ref"],
    [{ outputSchema: schema, checks: [{ type: "regex", path: "/summary", pattern: "(a" }] }, "acceptance.checks.0.pattern"],
    [{ outputSchema: schema, checks: [{ type: "regex", path: "/summary", pattern: "(a)\\1" }] }, "acceptance.checks.0.pattern"], // a backreference: not RE2
    [{ outputSchema: schema, checks: [{ type: "range", path: "/score" }] }, "acceptance.checks.0"],
    [{ outputSchema: schema, checks: [{ type: "range", path: "score", min: 1 }] }, "acceptance.checks.0.path"],
    [{ outputSchema: schema, checks: [{ type: "evaluator", package: "grader@x.y", threshold: 0.5 }] }, "acceptance.checks.0.package"],
    [{ checks: [] }, "acceptance.outputSchema"],
  ])("refuses %j naming %s", (raw, path) => {
    let error: unknown;
    try {
      compileAcceptance(raw);
    } catch (err) {
      error = err;
    }
    expect(error).toMatchObject({ code: "validation_failed", status: 400 });
    expect((error as { details: { issues: { path: string }[] } }).details.issues.map((i) => i.path)).toContain(path);
  });
});
