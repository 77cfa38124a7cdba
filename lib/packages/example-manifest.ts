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
  outputSchema: {
    type: "object",
    properties: {
      rows: { type: "integer", minimum: 0 },
      columns: { type: "array", items: { type: "object", properties: { name: { type: "string" }, type: { type: "string" } }, required: ["name", "type"] } },
      summary: { type: "string" },
    },
    required: ["rows", "columns"],
  },
  exampleInput: { csv: "city,visits\nOslo,12\nLima,7\n" },
  baseFeeMicros: 20_000,
  hosted: {
    instructions: "You summarise CSV files. Call profile_csv on the input's csv, then answer with its rows and columns and a summary describing each column in one sentence.",
    model: "claude-haiku-4-5",
    maxOutputTokens: 1024,
    maxTurns: 3,
    tools: [{ tool: "profile_csv" }],
    offline: { calls: [{ tool: "profile_csv", input: { csv: { $input: "/csv" } } }], output: { rows: { $result: "/profile_csv/rows" }, columns: { $result: "/profile_csv/columns" } } },
  },
} satisfies z.input<typeof manifestSchema>;
