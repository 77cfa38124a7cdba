import { z } from "zod";
import { parseCsv, toCsv, type Table } from "./csv";
import { compileExpression, ExpressionError, toNumber } from "./expression";

// transform_csv: a declarative list of safe steps applied in order.

const column = z.string().min(1).max(200);
export const transformStepSchema = z.discriminatedUnion("op", [
  z.object({ op: z.literal("select"), columns: z.array(column).min(1) }),
  z.object({ op: z.literal("rename"), mapping: z.record(column, column) }),
  z.object({ op: z.literal("filter"), where: z.string().min(1) }),
  z.object({ op: z.literal("derive"), column, expr: z.string().min(1) }),
  z.object({ op: z.literal("sort"), by: z.array(z.object({ column, direction: z.enum(["asc", "desc"]).default("asc") })).min(1) }),
  z.object({ op: z.literal("dedupe"), columns: z.array(column).min(1).optional() }),
]);
export type TransformStep = z.infer<typeof transformStepSchema>;

export const transformCsvInputSchema = z.object({
  csv: z.string().min(1, "Send the CSV text."),
  steps: z.array(transformStepSchema).min(1, "Send at least one step.").max(50),
});

export class TransformError extends Error {
  constructor(readonly step: number, message: string) {
    super(`Step ${step + 1}: ${message}`);
  }
}

function requireColumns(table: Table, names: string[], step: number) {
  const missing = names.filter((n) => !table.columns.includes(n));
  if (missing.length) throw new TransformError(step, `unknown column ${missing.map((m) => `'${m}'`).join(", ")}. Columns: ${table.columns.join(", ")}.`);
}

function compare(a: string, b: string): number {
  const x = toNumber(a), y = toNumber(b);
  if (x !== null && y !== null) return x - y;
  return a.localeCompare(b);
}

function applyStep(table: Table, step: TransformStep, i: number): Table {
  switch (step.op) {
    case "select":
      requireColumns(table, step.columns, i);
      return { columns: step.columns, rows: table.rows.map((r) => Object.fromEntries(step.columns.map((c) => [c, r[c] ?? ""]))) };
    case "rename": {
      requireColumns(table, Object.keys(step.mapping), i);
      const columns = table.columns.map((c) => step.mapping[c] ?? c);
      if (new Set(columns).size !== columns.length) throw new TransformError(i, "renaming would create duplicate column names.");
      return { columns, rows: table.rows.map((r) => Object.fromEntries(table.columns.map((c) => [step.mapping[c] ?? c, r[c] ?? ""]))) };
    }
    case "filter": {
      const expr = compileExpression(step.where, table.columns);
      return { columns: table.columns, rows: table.rows.filter((r) => expr.truthy(r)) };
    }
    case "derive": {
      const expr = compileExpression(step.expr, table.columns);
      const columns = table.columns.includes(step.column) ? table.columns : [...table.columns, step.column];
      return {
        columns,
        rows: table.rows.map((r) => {
          const v = expr.evaluate(r);
          return { ...r, [step.column]: v === null ? "" : typeof v === "number" ? String(Number(v.toPrecision(15))) : String(v) };
        }),
      };
    }
    case "sort": {
      requireColumns(table, step.by.map((b) => b.column), i);
      const rows = [...table.rows].sort((a, b) => {
        for (const { column, direction } of step.by) {
          const d = compare(a[column] ?? "", b[column] ?? "");
          if (d !== 0) return direction === "desc" ? -d : d;
        }
        return 0;
      });
      return { columns: table.columns, rows };
    }
    case "dedupe": {
      const keys = step.columns ?? table.columns;
      requireColumns(table, keys, i);
      const seen = new Set<string>();
      return { columns: table.columns, rows: table.rows.filter((r) => { const k = JSON.stringify(keys.map((c) => r[c])); return !seen.has(k) && !!seen.add(k); }) };
    }
  }
}

export function transformCsv(input: z.infer<typeof transformCsvInputSchema>) {
  let table = parseCsv(input.csv);
  const rowsIn = table.rows.length;
  const applied = input.steps.map((step, i) => {
    const before = table.rows.length;
    try {
      table = applyStep(table, step, i);
    } catch (err) {
      if (err instanceof ExpressionError) throw new TransformError(i, err.message);
      throw err;
    }
    return { step: i + 1, op: step.op, rowsBefore: before, rowsAfter: table.rows.length };
  });
  return { csv: toCsv(table), columns: table.columns, steps: applied, rowCounts: { input: rowsIn, output: table.rows.length } };
}
