import { CsvError, parseCsv, type Table } from "../data-processor/csv";

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
  if (rows.length > 100_000) throw new CsvError("The data has more than 100,000 rows.");
  const columns = [...new Set(rows.flatMap((r) => Object.keys(r as object)))];
  if (!columns.length) throw new CsvError("The JSON rows have no fields.");
  const cell = (v: unknown) => (v === null || v === undefined ? "" : typeof v === "object" ? JSON.stringify(v) : String(v));
  return { columns, rows: rows.map((r) => Object.fromEntries(columns.map((c) => [c, cell((r as Record<string, unknown>)[c])]))) };
}
