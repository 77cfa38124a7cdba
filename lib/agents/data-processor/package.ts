import { z } from "zod";
import { definePackage, defineTool } from "../define-package";
import { profileCsv, profileTable } from "./profile-csv";
import { transformCsv, transformCsvInputSchema, transformStepSchema } from "./transform-csv";

const inputSchema = z
  .object({
    csv: z.string().min(1, "Paste or drop a CSV file."),
    instructions: z.string().max(4_000).optional(),
    steps: z.array(transformStepSchema).max(50).optional(),
  })
  .refine((i) => i.instructions || i.steps?.length, { message: "Give instructions, steps, or both.", path: ["steps"] });

const outputSchema = z.object({
  csv: z.string(),
  columns: z.array(z.string()),
  steps: z.array(z.object({ step: z.number().int(), op: z.string(), rowsBefore: z.number().int(), rowsAfter: z.number().int() })),
  rowCounts: z.object({ input: z.number().int(), output: z.number().int() }),
  profile: z.array(z.object({ name: z.string(), type: z.string(), nulls: z.number().int(), distinct: z.number().int() })),
  notes: z.string(),
});

export const dataProcessor = definePackage({
  slug: "data-processor",
  name: "Data Processor",
  summary: "Profiles a CSV and cleans or reshapes it with safe, declarative steps: select, rename, filter, derive, sort, dedupe.",
  description: [
    "Give it a CSV and either plain-language instructions or an explicit list of steps.",
    "",
    "- `profile_csv` reports each column's inferred type, nulls and distinct values.",
    "- `transform_csv` applies steps in order. `filter` and `derive` use a small expression language",
    "  (arithmetic, comparisons, `and`/`or`/`not`, functions such as `lower`, `round`, `coalesce`, `if`); it is parsed, never executed as code.",
    "",
    "You get the transformed CSV, the steps applied with row counts before and after each, and the profile.",
  ].join("\n"),
  category: "data",
  capabilities: ["csv", "data cleaning", "transformation", "profiling"],
  version: "1.0.0",
  model: "claude-sonnet-5-5",
  maxOutputTokens: 8_192,
  baseFeeMicros: 1_000n,
  input: inputSchema,
  output: outputSchema,
  exampleInput: {
    csv: "order_id,customer,region,amount\n1001,Acme Corp,EU,120.50\n1002,Globex,US,80\n1002,Globex,US,80\n1003,Initech,EU,310.25\n",
    instructions: "Remove duplicates, keep EU orders, add the amount with 20% VAT, largest first.",
    steps: [
      { op: "dedupe" },
      { op: "filter", where: "region = 'EU'" },
      { op: "derive", column: "amount_with_vat", expr: "round(amount * 1.2, 2)" },
      { op: "sort", by: [{ column: "amount_with_vat", direction: "desc" }] },
    ],
  },
  systemPrompt:
    "You clean and reshape CSV data. First call profile_csv. Then turn the user's instructions into transform_csv steps (select, rename, filter, derive, sort, dedupe) and call it. Answer with the tool's CSV, the steps and row counts.",
  tools: [
    defineTool({ name: "profile_csv", description: "Profile a CSV: columns, inferred types, nulls, distinct counts.", input: z.object({ csv: z.string().min(1) }), handler: profileCsv }),
    defineTool({ name: "transform_csv", description: "Apply declarative steps to a CSV.", input: transformCsvInputSchema, handler: transformCsv }),
  ],
  offline: {
    // The offline model cannot read instructions; it applies explicit steps only.
    plan: (input) => [
      { tool: "profile_csv", input: { csv: input.csv } },
      ...(input.steps?.length ? [{ tool: "transform_csv", input: { csv: input.csv, steps: input.steps } }] : []),
    ],
    compose: (input, results) => {
      const profile = (results.profile_csv as ReturnType<typeof profileTable>).columns.map(({ name, type, nulls, distinct }) => ({ name, type, nulls, distinct }));
      const transformed = results.transform_csv as ReturnType<typeof transformCsv> | undefined;
      if (transformed) return { csv: transformed.csv, columns: transformed.columns, steps: transformed.steps, rowCounts: transformed.rowCounts, profile, notes: `Applied ${transformed.steps.length} step(s).` };
      const rows = (results.profile_csv as ReturnType<typeof profileTable>).rows;
      return {
        csv: input.csv,
        columns: profile.map((p) => p.name),
        steps: [],
        rowCounts: { input: rows, output: rows },
        profile,
        notes: "The offline model applies explicit steps only; add `steps` (or configure a model) to follow written instructions.",
      };
    },
  },
});
