import { describe, expect, it } from "vitest";
import { CsvError, parseCsv } from "@/lib/agents/data-processor/csv";
import { compileExpression, ExpressionError } from "@/lib/agents/data-processor/expression";
import { profileCsv } from "@/lib/agents/data-processor/profile-csv";
import { TransformError, transformCsv } from "@/lib/agents/data-processor/transform-csv";

const orders = [
  "order_id,customer,region,amount,shipped,created",
  "1001,Acme Corp,EU,120.50,true,2026-10-01",
  "1002,Globex,US,80,false,2026-10-02",
  "1003,Initech,EU,,true,2026-10-02",
  "1004,Acme Corp,EU,310.25,true,2026-10-05",
  "1002,Globex,US,80,false,2026-10-02",
  '1005,"Umbrella, Inc.",APAC,45.00,NA,2026-10-07',
].join("\n");

describe("profile_csv", () => {
  it("infers types and counts nulls and distinct values per column", () => {
    const p = profileCsv({ csv: orders });
    expect(p.rows).toBe(6);
    const byName = Object.fromEntries(p.columns.map((c) => [c.name, c]));
    expect(byName.order_id).toMatchObject({ type: "integer", nulls: 0, distinct: 5, min: 1001, max: 1005 });
    expect(byName.customer).toMatchObject({ type: "string", distinct: 4 });
    expect(byName.amount).toMatchObject({ type: "number", nulls: 1, min: 45, max: 310.25 });
    expect(byName.shipped).toMatchObject({ type: "boolean", nulls: 1, distinct: 2 });
    expect(byName.created).toMatchObject({ type: "date", distinct: 4 });
  });
});

describe("transform_csv", () => {
  it("dedupes, derives, filters, renames, sorts and selects, reporting row counts per step", () => {
    const out = transformCsv({
      csv: orders,
      steps: [
        { op: "dedupe" },
        { op: "derive", column: "amount_with_vat", expr: "round(number(amount) * 1.2, 2)" },
        { op: "filter", where: "region = 'EU' and not is_empty(amount)" },
        { op: "rename", mapping: { customer: "client" } },
        { op: "sort", by: [{ column: "amount_with_vat", direction: "desc" }] },
        { op: "select", columns: ["order_id", "client", "amount_with_vat"] },
      ],
    });
    expect(out.csv).toBe("order_id,client,amount_with_vat\n1004,Acme Corp,372.3\n1001,Acme Corp,144.6\n");
    expect(out.steps.map((s) => [s.op, s.rowsBefore, s.rowsAfter])).toEqual([
      ["dedupe", 6, 5],
      ["derive", 5, 5],
      ["filter", 5, 2],
      ["rename", 2, 2],
      ["sort", 2, 2],
      ["select", 2, 2],
    ]);
    expect(out.rowCounts).toEqual({ input: 6, output: 2 });
  });

  it("keeps quoted commas intact when writing CSV back", () => {
    const out = transformCsv({ csv: orders, steps: [{ op: "filter", where: "contains(customer, 'umbrella')" }] });
    expect(out.csv).toContain('"Umbrella, Inc."');
  });

  it("rejects unknown functions, unknown columns and bad syntax with the step named", () => {
    expect(() => transformCsv({ csv: orders, steps: [{ op: "derive", column: "x", expr: "system('rm -rf /')" }] })).toThrowError(
      /Step 1: Unknown function 'system'\. Available: lower, upper/,
    );
    expect(() => transformCsv({ csv: orders, steps: [{ op: "dedupe" }, { op: "filter", where: "price > 3" }] })).toThrowError(/Step 2: Unknown column 'price'/);
    expect(() => transformCsv({ csv: orders, steps: [{ op: "filter", where: "amount > " }] })).toThrowError(TransformError);
    expect(() => transformCsv({ csv: orders, steps: [{ op: "select", columns: ["nope"] }] })).toThrowError(/unknown column 'nope'/);
  });
});

describe("the expression language", () => {
  const cols = ["a", "b", "Unit Price"];
  const row = { a: "6", b: "4", "Unit Price": "2.5" };
  const run = (src: string) => compileExpression(src, cols).evaluate(row);

  it("follows precedence and handles bracketed column names", () => {
    expect(run("a + b * 2")).toBe(14);
    expect(run("(a + b) * 2")).toBe(20);
    expect(run("-a + 10 % 4")).toBe(-4);
    expect(run("[Unit Price] * a")).toBe(15);
    expect(run("a > b and not b >= 5 or false")).toBe(true);
    expect(run("if(a = 6, 'six', 'other')")).toBe("six");
    expect(run("a / 0")).toBeNull();
    expect(run("concat(upper('x'), '-', a)")).toBe("X-6");
  });

  it("is never evaluated as code", () => {
    for (const hostile of ["constructor.constructor('return process')()", "a; process.exit(1)", "__proto__", "`${a}`", "a.b"]) {
      expect(() => compileExpression(hostile, cols), hostile).toThrowError(ExpressionError);
    }
  });

  it("bounds length and nesting", () => {
    expect(() => compileExpression("(".repeat(500) + "a" + ")".repeat(500), cols)).toThrowError(/nested too deeply/);
    expect(() => compileExpression("a + ".repeat(600) + "a", cols)).toThrowError(/longer than/);
  });
});

describe("bad CSV input", () => {
  it("answers empty, binary, malformed and header-less input with a clear error", () => {
    expect(() => parseCsv("   ")).toThrowError(/empty/);
    expect(() => parseCsv("a,b\n1,\u0000")).toThrowError(/binary/);
    expect(() => parseCsv('a,b\n"unclosed,2\n')).toThrowError(CsvError);
    expect(() => parseCsv("a,,c\n1,2,3")).toThrowError(/name every column/);
    expect(() => parseCsv("a,a\n1,2")).toThrowError(/Duplicate column names: a/);
    expect(() => parseCsv("a,b\n1,2,3")).toThrowError(/could not be parsed/);
  });
});
