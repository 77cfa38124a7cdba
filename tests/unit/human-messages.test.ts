import { describe, expect, it } from "vitest";
import { z } from "zod";
import { errorBody, validationError, zodIssues } from "@/lib/http/errors";
import { countOf } from "@/components/ui/format";
import { runErrorTitle } from "@/components/runs/run-types";
import { formatUsd, formatUsdExact } from "@/lib/money/format";

const issuesOf = (schema: z.ZodType, value: unknown, prefix?: string) => {
  const parsed = schema.safeParse(value);
  if (parsed.success) throw new Error("expected the value to be refused");
  return zodIssues(parsed.error, prefix);
};

// Users saw zod's developer text ("Too small: expected string to have >=1 characters",
// "Invalid input: input.files"): every message is now "<Field label>: <what to do>".
describe("zod issues as messages a person understands", () => {
  const cases: [string, z.ZodType, unknown, { path: string; message: string }][] = [
    ["an empty required string", z.object({ subject: z.string().min(1) }), { subject: "" }, { path: "subject", message: "Subject: enter at least 1 character." }],
    ["a too-short string", z.object({ name: z.string().min(3) }), { name: "a" }, { path: "name", message: "Name: enter at least 3 characters." }],
    ["a too-long string", z.object({ title: z.string().max(5) }), { title: "abcdefg" }, { path: "title", message: "Title: use at most 5 characters." }],
    ["an empty list", z.object({ files: z.array(z.string()).min(1) }), { files: [] }, { path: "files", message: "Files: add at least one file." }],
    ["a too-long list", z.object({ tags: z.array(z.string()).max(2) }), { tags: ["a", "b", "c"] }, { path: "tags", message: "Tags: add at most 2 tags." }],
    ["a missing field", z.object({ dueDate: z.string() }), {}, { path: "dueDate", message: "Due date: fill this in." }],
    ["a wrong type", z.object({ max_rows: z.number() }), { max_rows: "ten" }, { path: "max_rows", message: "Max rows: enter a number." }],
    ["a number under the minimum", z.object({ count: z.number().int().min(2) }), { count: 1 }, { path: "count", message: "Count: enter a number of at least 2." }],
    ["a number over the maximum", z.object({ count: z.number().max(9) }), { count: 10 }, { path: "count", message: "Count: enter a number of at most 9." }],
    ["a fraction where a whole number goes", z.object({ count: z.number().int() }), { count: 1.5 }, { path: "count", message: "Count: enter a whole number." }],
    ["an e-mail", z.object({ email: z.email() }), { email: "nope" }, { path: "email", message: "Email: enter a valid e-mail address, like name@example.com." }],
    ["an enum", z.object({ severity: z.enum(["low", "high"]) }), { severity: "mid" }, { path: "severity", message: 'Severity: choose one of "low", "high".' }],
    ["unknown keys", z.strictObject({ a: z.string() }), { a: "x", b: 1 }, { path: "(root)", message: 'Remove the unknown field "b".' }],
    ["a field inside a list item", z.object({ files: z.array(z.object({ content: z.string().min(1) })) }), { files: [{ content: "" }] }, { path: "files.0.content", message: "Content in file 1: enter at least 1 character." }],
    ["a list item itself", z.object({ tags: z.array(z.string()) }), { tags: [3] }, { path: "tags.0", message: "Tags (item 1): enter text." }],
    ["a schema's own message, kept", z.object({ csv: z.string().min(1, "Paste or drop a CSV file.") }), { csv: "" }, { path: "csv", message: "Paste or drop a CSV file." }],
  ];
  it.each(cases)("%s", (_name, schema, value, expected) => {
    expect(issuesOf(schema, value)).toEqual([expected]);
  });

  it("a path prefix (the run's input) is kept in the path for API clients, not in the label", () => {
    expect(issuesOf(z.object({ files: z.array(z.string()).min(1) }), { files: [] }, "input")).toEqual([{ path: "input.files", message: "Files: add at least one file." }]);
  });

  it("the 400's message is the fields' messages, and details.issues keeps every path", () => {
    const parsed = z.object({ subject: z.string().min(1), body: z.string().min(1) }).safeParse({ subject: "", body: "" });
    const body = errorBody(validationError(parsed.error!, "input"));
    expect(body.error.message).toBe("Subject: enter at least 1 character. Body: enter at least 1 character.");
    expect((body.error.details as { issues: { path: string }[] }).issues.map((i) => i.path)).toEqual(["input.subject", "input.body"]);
  });
});

describe("money formatting", () => {
  it.each([
    [0, "$0", "$0"],
    [500_000, "$0.50", "$0.50"],
    [250, "$0.00025", "$0.00025"],
    [2_000, "$0.002", "$0.002"],
    [998_000, "$0.998", "$0.998"],
    [999_000, "$0.999", "$0.999"],
    [1_000_000, "$1", "$1"],
    [24_998_000, "$25", "$24.998"],
    [25_000_123, "$25", "$25.000123"],
    [10_500_000, "$10.50", "$10.50"],
    [-1_234_567, "-$1.23", "-$1.234567"],
  ])("%i micro-USD: rounded %s, exact %s", (micros, rounded, exact) => {
    expect(formatUsd(micros)).toBe(rounded);
    expect(formatUsdExact(micros)).toBe(exact);
  });
});

describe("counts and run errors in words", () => {
  it.each([
    [0, "run", "0 runs"],
    [1, "run", "1 run"],
    [2, "run", "2 runs"],
    [1_200, "token", "1,200 tokens"],
    [1, "child run", "1 child run"],
  ])("%i %s → %s", (n, noun, expected) => {
    expect(countOf(n, noun)).toBe(expected);
  });

  it("an irregular plural is given", () => {
    expect(countOf(3, "entry", "entries")).toBe("3 entries");
  });

  it("a run's error code reads as a sentence, not tool_error", () => {
    expect(runErrorTitle("tool_error")).toBe("A tool the agent used failed");
    expect(runErrorTitle("consumer_input")).toBe("The input could not be used");
    expect(runErrorTitle("something_new")).toBe("The run failed");
  });
});
