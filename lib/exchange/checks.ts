import { zodIssues } from "@/lib/http/errors";
import { compileJsonSchema } from "@/lib/packages/json-schema";
import { atPointer, MISSING } from "@/lib/packages/json-pointer";
import { compilePattern, type Acceptance, type AcceptanceCheck } from "./acceptance";

// The platform's first verdict on a delivery (issue 21 item 5): the acceptance
// criteria both sides agreed to at posting, applied to the delivered output.
// Pure and linear in the output's size: one schema validation, then each check
// reads one value by its JSON Pointer (regexes in RE2, on strings of at most
// MAX_REGEX_INPUT characters). An evaluator check cannot be decided here: it is
// returned `pending` and decided when the evaluator's run ends (lib/exchange/delivery.ts).

export const MAX_REGEX_INPUT = 100_000;

/** One check's verdict: `message` is a sentence the buyer and the provider read. */
export type CheckResult = {
  name: string;
  passed: boolean;
  message: string;
  /** An evaluator check still waiting for its run (then `runId` once started). */
  pending?: boolean;
  runId?: string;
};

const where = (path: string) => (path === "" ? "the output" : path);

const isEmpty = (v: unknown) => v === null || v === "" || (Array.isArray(v) && v.length === 0) || (typeof v === "object" && v !== null && !Array.isArray(v) && Object.keys(v).length === 0);

/** The output against the acceptance's output schema: the first few problems, named by path. */
function schemaCheck(schema: Acceptance["outputSchema"], output: unknown): CheckResult {
  const parsed = compileJsonSchema(schema).safeParse(output);
  if (parsed.success) return { name: "output schema", passed: true, message: "The output matches the agreed output schema." };
  const issues = zodIssues(parsed.error, "output");
  const listed = issues.slice(0, 3).map((i) => `${i.path}: ${i.message}`).join("; ");
  const more = issues.length > 3 ? ` (and ${issues.length - 3} more)` : "";
  return { name: "output schema", passed: false, message: `The output does not match the agreed output schema — ${listed}${more}.` };
}

function requiredCheck(paths: string[], output: unknown): CheckResult {
  const missing = paths.filter((p) => {
    const v = atPointer(output, p);
    return v === MISSING || isEmpty(v);
  });
  const name = `required ${paths.join(", ")}`;
  if (!missing.length) return { name, passed: true, message: `Every required field is present and not empty.` };
  return { name, passed: false, message: `Missing or empty: ${missing.map(where).join(", ")}.` };
}

function rangeCheck(c: Extract<AcceptanceCheck, { type: "range" }>, output: unknown): CheckResult {
  const bounds = c.min !== undefined && c.max !== undefined ? `between ${c.min} and ${c.max}` : c.min !== undefined ? `at least ${c.min}` : `at most ${c.max}`;
  const name = `range ${where(c.path)} ${bounds}`;
  const v = atPointer(output, c.path);
  if (typeof v !== "number" || !Number.isFinite(v)) return { name, passed: false, message: `${where(c.path)} should be a number ${bounds}, but ${v === MISSING ? "it is missing" : "it is not a number"}.` };
  const passed = (c.min === undefined || v >= c.min) && (c.max === undefined || v <= c.max);
  return { name, passed, message: passed ? `${where(c.path)} is ${v}, ${bounds}.` : `${where(c.path)} is ${v}; it should be ${bounds}.` };
}

function regexCheck(c: Extract<AcceptanceCheck, { type: "regex" }>, output: unknown): CheckResult {
  const name = `regex ${where(c.path)} /${c.pattern}/${c.caseInsensitive ? "i" : ""}`;
  const v = atPointer(output, c.path);
  if (typeof v !== "string") return { name, passed: false, message: `${where(c.path)} should be text matching the pattern, but ${v === MISSING ? "it is missing" : "it is not text"}.` };
  if (v.length > MAX_REGEX_INPUT) return { name, passed: false, message: `${where(c.path)} is longer than ${MAX_REGEX_INPUT.toLocaleString("en-US")} characters, too long to check against the pattern.` };
  const passed = compilePattern(c).matcher(v).find();
  return { name, passed, message: passed ? `${where(c.path)} matches the pattern.` : `${where(c.path)} does not match the pattern.` };
}

function citationsCheck(c: Extract<AcceptanceCheck, { type: "citations" }>, output: unknown): CheckResult {
  const name = `citations ${where(c.path)} at least ${c.min}`;
  const v = atPointer(output, c.path);
  if (!Array.isArray(v)) return { name, passed: false, message: `${where(c.path)} should list at least ${c.min} citation(s), but ${v === MISSING ? "it is missing" : "it is not a list"}.` };
  const passed = v.length >= c.min;
  return { name, passed, message: passed ? `${where(c.path)} lists ${v.length} citation(s), at least ${c.min}.` : `${where(c.path)} lists ${v.length} citation(s); at least ${c.min} are required.` };
}

/** An evaluator check's name (the same when it is decided). */
export const evaluatorName = (c: Extract<AcceptanceCheck, { type: "evaluator" }>) => `evaluator ${c.package} score at ${c.scorePath} at least ${c.threshold}`;

/**
 * Every check of `acceptance` on `output`: the output schema first, then each check in order.
 * Evaluator checks come back `pending` (not passed) for the delivery to run them.
 */
export function checkOutput(acceptance: Acceptance, output: unknown): CheckResult[] {
  const results = [schemaCheck(acceptance.outputSchema, output)];
  for (const c of acceptance.checks) {
    if (c.type === "required") results.push(requiredCheck(c.paths, output));
    else if (c.type === "range") results.push(rangeCheck(c, output));
    else if (c.type === "regex") results.push(regexCheck(c, output));
    else if (c.type === "citations") results.push(citationsCheck(c, output));
    else results.push({ name: evaluatorName(c), passed: false, pending: true, message: `Waiting for ${c.package} to score the output.` });
  }
  return results;
}

/** An evaluator run's output scored against its check: passes when the number at scorePath ≥ threshold. */
export function scoreCheck(c: Extract<AcceptanceCheck, { type: "evaluator" }>, evaluatorOutput: unknown, runId: string): CheckResult {
  const name = evaluatorName(c);
  const score = atPointer(evaluatorOutput, c.scorePath);
  if (typeof score !== "number" || !Number.isFinite(score)) return { name, passed: false, runId, message: `${c.package} gave no score at ${c.scorePath}.` };
  const passed = score >= c.threshold;
  return { name, passed, runId, message: passed ? `${c.package} scored the output ${score}, at least ${c.threshold}.` : `${c.package} scored the output ${score}; at least ${c.threshold} is required.` };
}
