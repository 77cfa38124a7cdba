import type { Template } from "@/lib/packages/manifest";
import { atPointer, MISSING, unescapeToken } from "@/lib/packages/json-pointer";

// A hosted manifest's offline plan (lib/packages/manifest.ts): tool inputs and
// the output are templates whose `{"$input": "/pointer"}` and
// `{"$result": "/<tool>/pointer"}` parts are filled in from the run's input and
// the tool results so far (keyed as lib/agents/define-package.ts recordResult
// keeps them: `<tool>` the last call's, `<tool>*` every call's). A pointer to
// nothing is the manifest's fault, reported with the template's path in it.

export class TemplateProblem extends Error {
  constructor(
    readonly path: string,
    message: string,
  ) {
    super(message);
    this.name = "TemplateProblem";
  }
}

type Reference = { source: "$input" | "$result"; pointer: string };

/** `{"$input": "/a"}` or `{"$result": "/tool/a"}` (exactly one key, a string): a reference; anything else is literal JSON. */
function referenceOf(t: Template): Reference | undefined {
  if (t === null || typeof t !== "object" || Array.isArray(t)) return undefined;
  const keys = Object.keys(t);
  if (keys.length !== 1 || (keys[0] !== "$input" && keys[0] !== "$result")) return undefined;
  const pointer = (t as Record<string, unknown>)[keys[0]];
  return typeof pointer === "string" ? { source: keys[0], pointer } : undefined;
}

/** The template with its references filled in from `input` and `results`; throws TemplateProblem naming `path` (the template's place in the manifest). */
export function resolveTemplate(t: Template, from: { input: unknown; results: Record<string, unknown> }, path: string): unknown {
  const ref = referenceOf(t);
  if (ref) {
    const value = atPointer(ref.source === "$input" ? from.input : from.results, ref.pointer);
    if (value === MISSING) {
      const where = ref.source === "$input" ? "the run's input" : "the tool results so far";
      throw new TemplateProblem(path, `The package's offline plan refers to ${JSON.stringify(ref.pointer)} in ${where} at ${path}, and there is nothing there.`);
    }
    return value;
  }
  if (Array.isArray(t)) return t.map((v, i) => resolveTemplate(v, from, `${path}[${i}]`));
  if (t !== null && typeof t === "object") return Object.fromEntries(Object.entries(t).map(([k, v]) => [k, resolveTemplate(v, from, `${path}.${k}`)]));
  return t;
}

/** The tools whose results a template uses: `{"$result": "/profile_csv/…"}` → profile_csv (and `run_agent*` → run_agent). */
export function resultTools(t: Template): Set<string> {
  const tools = new Set<string>();
  const visit = (v: unknown) => {
    const ref = referenceOf(v);
    if (ref) {
      if (ref.source === "$result") tools.add(unescapeToken(ref.pointer.split("/")[1] ?? "").replace(/\*$/, ""));
    } else if (v !== null && typeof v === "object") for (const child of Object.values(v)) visit(child);
  };
  visit(t);
  return tools;
}
