import { CsvError, parseCsv, type Table } from "../data-processor/csv";
import { isNullish } from "../data-processor/profile-csv";

/** The `data` input as a table: CSV with a header row, or JSON (an array of objects, or `{ rows: [...] }`). */
export function loadTable(data: string): Table {
  const text = data.trim();
  if (!text.startsWith("[") && !text.startsWith("{")) return parseCsv(data);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    throw new CsvError(`The data looks like JSON but does not parse: ${(err as Error).message}`);
  }
  const rows = Array.isArray(parsed) ? parsed : (parsed as { rows?: unknown }).rows;
  if (!Array.isArray(rows) || !rows.every((r) => r && typeof r === "object" && !Array.isArray(r))) {
    throw new CsvError("JSON data must be an array of objects, or an object with a `rows` array of objects.");
  }
  if (!rows.length) throw new CsvError("The JSON has no rows.");
  if (rows.length > 100_000) throw new CsvError("The data has more than 100,000 rows.");
  const columns = [...new Set(rows.flatMap((r) => Object.keys(r as object)))];
  if (!columns.length) throw new CsvError("The JSON rows have no fields.");
  const cell = (v: unknown) => (v === null || v === undefined ? "" : typeof v === "object" ? JSON.stringify(v) : String(v));
  return { columns, rows: rows.map((r) => Object.fromEntries(columns.map((c) => [c, cell((r as Record<string, unknown>)[c])]))) };
}

/**
 * Why `data` holds no rows to report on (it does not parse, has only a header
 * line, or every value is blank), in words for the person who sent it; null when it has some.
 */
export function tableProblem(data: string): string | null {
  const why = (reason: string) => `The input has no rows of data to report on: ${reason.replace(/\.?$/, ".")} Give CSV with a header row and at least one row of values, or a JSON array of objects.`;
  let table: Table;
  try {
    table = loadTable(data);
  } catch (err) {
    if (err instanceof CsvError) return why(err.message);
    throw err;
  }
  if (!table.rows.length) return why(`it reads as a header line (${table.columns.join(", ").slice(0, 80)}) with nothing under it.`);
  if (table.rows.every((row) => Object.values(row).every(isNullish))) return why("every value in it is blank.");
  return null;
}
