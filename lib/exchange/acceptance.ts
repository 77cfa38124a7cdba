import { RE2JS, RE2JSException } from "re2js";
import { z } from "zod";
import { ApiError, validationError } from "@/lib/http/errors";
import { compileJsonSchema, JsonSchemaProblem } from "@/lib/packages/json-schema";
import { parseAgentRef } from "@/lib/packages/version-range";

// A work's acceptance criteria (issue 21 item 1): what both sides agree a
// delivery must satisfy before anyone works, checked by the platform on the
// delivered output (lib/exchange/checks.ts). An output JSON Schema, plus up to
// MAX_CHECKS checks on parts of the output named by JSON Pointers (RFC 6901):
// - required:   the fields exist and are not empty ("", [], {}, null)
// - range:      a number within [min, max]
// - regex:      a string matching a pattern (RE2 syntax: linear time, no backreferences)
// - citations:  an array of at least `min` items (sources, references, links…)
// - evaluator:  a package run on the output scores it; passes at `threshold` or above

export const MAX_CHECKS = 20;
const MAX_PATTERN = 500;

const pointer = z.string().max(500).regex(/^(\/[^/]*)*$/, "a JSON Pointer such as /summary or /items/0/name (or \"\" for the whole output)");

export const checkSchema = z.discriminatedUnion("type", [
  z.object({ type: z.literal("required"), paths: z.array(pointer).min(1).max(50) }).strict(),
  z
    .object({ type: z.literal("range"), path: pointer, min: z.number().finite().optional(), max: z.number().finite().optional() })
    .strict()
    .refine((c) => c.min !== undefined || c.max !== undefined, { message: "needs min, max or both" })
    .refine((c) => c.min === undefined || c.max === undefined || c.min <= c.max, { path: ["max"], message: "must be at least min" }),
  z.object({ type: z.literal("regex"), path: pointer, pattern: z.string().min(1).max(MAX_PATTERN), caseInsensitive: z.boolean().optional() }).strict(),
  z.object({ type: z.literal("citations"), path: pointer, min: z.number().int().min(1).max(1000) }).strict(),
  z
    .object({
      type: z.literal("evaluator"),
      package: z.string().min(1).max(80), // "slug" or "slug@range"
      threshold: z.number().min(0).max(1),
      scorePath: pointer.default("/score"), // where the evaluator's output holds its score in 0..1
    })
    .strict(),
]);
export type AcceptanceCheck = z.infer<typeof checkSchema>;

export const acceptanceSchema = z
  .object({
    outputSchema: z.record(z.string(), z.unknown()),
    checks: z.array(checkSchema).max(MAX_CHECKS).default([]),
  })
  .strict();
export type Acceptance = z.infer<typeof acceptanceSchema>;

/**
 * Acceptance criteria as posted, checked so they can be applied later: the output
 * schema compiles, every regex compiles in RE2, every evaluator names a package
 * reference. Throws 400 naming the path (`acceptance.outputSchema.properties.x`,
 * `acceptance.checks.2.pattern`, as every validation error's `details.issues`).
 * Bounded by the input's size (the schema's own limits).
 */
export function compileAcceptance(raw: unknown, at = "acceptance"): Acceptance {
  const parsed = acceptanceSchema.safeParse(raw);
  if (!parsed.success) throw validationError(parsed.error, at);
  try {
    compileJsonSchema(parsed.data.outputSchema);
  } catch (err) {
    if (err instanceof JsonSchemaProblem) throw invalid(pathText([at, "outputSchema", ...err.path]), `the output schema does not compile: ${err.message}`);
    throw err;
  }
  parsed.data.checks.forEach((check, i) => {
    if (check.type === "regex") compilePattern(check, pathText([at, "checks", i, "pattern"]));
    if (check.type !== "evaluator") return;
    const ref = parseAgentRef(check.package);
    if ("error" in ref) throw invalid(pathText([at, "checks", i, "package"]), ref.error);
  });
  return parsed.data;
}

/** A regex check's pattern in RE2 (linear-time matching); 400 naming `path` when it does not compile. */
export function compilePattern(check: { pattern: string; caseInsensitive?: boolean }, path = "pattern"): RE2JS {
  try {
    return RE2JS.compile(check.pattern, check.caseInsensitive ? RE2JS.CASE_INSENSITIVE : 0);
  } catch (err) {
    if (err instanceof RE2JSException) throw invalid(path, `the pattern does not compile: ${err.message}`);
    throw err;
  }
}

const invalid = (path: string, message: string) => new ApiError("validation_failed", `${path}: ${message}`, { issues: [{ path, message }] });

/** ["acceptance", "checks", 2, "pattern"] → "acceptance.checks.2.pattern" (as zodIssues writes paths). */
const pathText = (path: PropertyKey[]) => path.map(String).join(".");
