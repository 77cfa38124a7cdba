import { describe, expect, it } from "vitest";
import { compileAcceptance } from "@/lib/exchange/acceptance";
import { checkOutput, MAX_REGEX_INPUT, scoreCheck } from "@/lib/exchange/checks";

// The platform's first verdict on a delivery (issue 21 item 5): each acceptance
// check applied to the output, a sentence each, evaluators left pending.

const acceptance = compileAcceptance({
  outputSchema: { type: "object", properties: { summary: { type: "string" }, score: { type: "number" }, sources: { type: "array" } }, required: ["summary"] },
  checks: [
    { type: "required", paths: ["/summary", "/sources"] },
    { type: "range", path: "/score", min: 0, max: 1 },
    { type: "regex", path: "/summary", pattern: "^[A-Z].*\\.$" },
    { type: "citations", path: "/sources", min: 2 },
  ],
});
const good = { summary: "All good.", score: 0.5, sources: ["a", "b"] };
const verdicts = (output: unknown) => checkOutput(acceptance, output).map((c) => c.passed);

describe("checkOutput", () => {
  it("passes every check of a good output, each with a message", () => {
    const results = checkOutput(acceptance, good);
    expect(results.map((c) => c.name)).toEqual(["output schema", "required /summary, /sources", "range /score between 0 and 1", "regex /summary /^[A-Z].*\\.$/", "citations /sources at least 2"]);
    expect(results.every((c) => c.passed && c.message.length > 10)).toBe(true);
  });

  it("fails the schema naming the path, and each check on its own", () => {
    const [schema] = checkOutput(acceptance, { score: "high" });
    expect(schema).toMatchObject({ passed: false });
    expect(schema!.message).toContain("output.summary");
    expect(verdicts({ ...good, sources: [] })).toEqual([true, false, true, true, false]); // empty list: not present, and too few
    expect(verdicts({ ...good, score: 1.5 })).toEqual([true, true, false, true, true]);
    expect(verdicts({ ...good, summary: "lowercase" })).toEqual([true, true, true, false, true]);
    expect(checkOutput(acceptance, { ...good, score: 1.5 })[2]!.message).toBe("/score is 1.5; it should be between 0 and 1.");
    expect(checkOutput(acceptance, { ...good, sources: ["x"] })[4]!.message).toBe("/sources lists 1 citation(s); at least 2 are required.");
  });

  it("treats a missing or wrongly typed value as a failure, not an error", () => {
    const results = checkOutput(acceptance, "just text");
    expect(results.every((c) => !c.passed)).toBe(true);
    expect(results[2]!.message).toBe("/score should be a number between 0 and 1, but it is missing.");
  });

  it("refuses to run a regex on text over the limit (linear time either way)", () => {
    const long = `A${"x".repeat(MAX_REGEX_INPUT)}.`;
    const regex = checkOutput(acceptance, { ...good, summary: long })[3]!;
    expect(regex).toMatchObject({ passed: false });
    expect(regex.message).toContain("too long");
  });

  it("leaves an evaluator pending, then scores its run's output against the threshold", () => {
    const withEvaluator = compileAcceptance({ outputSchema: { type: "object" }, checks: [{ type: "evaluator", package: "grader", threshold: 0.8, scorePath: "/quality" }] });
    const [, pending] = checkOutput(withEvaluator, {});
    expect(pending).toMatchObject({ pending: true, passed: false });
    const check = withEvaluator.checks[0] as Extract<(typeof withEvaluator.checks)[number], { type: "evaluator" }>;
    expect(scoreCheck(check, { quality: 0.8 }, "r1")).toMatchObject({ passed: true, runId: "r1" });
    expect(scoreCheck(check, { quality: 0.79 }, "r1")).toMatchObject({ passed: false });
    expect(scoreCheck(check, { other: 1 }, "r1").message).toBe("grader gave no score at /quality.");
  });
});
