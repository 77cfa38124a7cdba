import type { z } from "zod";
import type { manifestSchema } from "./manifest";

/** A complete hosted manifest: the editor's "Load example", and a starting point in the docs. */
export const EXAMPLE_MANIFEST = {
  kind: "hosted",
  slug: "csv-summary",
  version: "1.0.0",
  name: "CSV summary",
  summary: "Profiles a CSV file and summarises its columns in plain words.",
  description: "Paste a CSV file; the agent profiles each column (type, blanks, range) and writes a short summary.",
  category: "data",
  capabilities: ["csv", "profiling"],
  inputSchema: { type: "object", properties: { csv: { type: "string", minLength: 1, maxLength: 200000 } }, required: ["csv"], additionalProperties: false },
  outputSchema: { type: "object", properties: { summary: { type: "string" } }, required: ["summary"] },
  exampleInput: { csv: "city,visits\nOslo,12\nLima,7\n" },
  baseFeeMicros: 20_000,
  hosted: {
    instructions: "You summarise CSV files. Call profile_csv on the input's csv, then describe each column in one sentence.",
    model: "claude-haiku-4-5",
    maxOutputTokens: 1024,
    maxTurns: 3,
    tools: [{ tool: "profile_csv" }],
    offline: { calls: [{ tool: "profile_csv", input: { csv: { $input: "/csv" } } }], output: { summary: { $result: "/profile_csv" } } },
  },
} satisfies z.input<typeof manifestSchema>;
