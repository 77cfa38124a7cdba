import { parse } from "csv-parse/sync";
import { stringify } from "csv-stringify/sync";

export class CsvError extends Error {}

export type Table = { columns: string[]; rows: Record<string, string>[] };

export const MAX_CSV_BYTES = 5_000_000;
export const MAX_ROWS = 100_000;

/** Parses CSV with a header row; malformed input gets a message naming the line. */
export function parseCsv(text: string): Table {
  if (!text.trim()) throw new CsvError("The CSV is empty.");
  if (Buffer.byteLength(text) > MAX_CSV_BYTES) throw new CsvError(`The CSV is larger than ${MAX_CSV_BYTES} bytes.`);
  if (text.includes("\u0000")) throw new CsvError("This looks like a binary file, not CSV text.");
  let records: string[][];
  try {
    records = parse(text, { bom: true, skip_empty_lines: true, relax_quotes: false, to_line: MAX_ROWS + 1 }) as string[][];
  } catch (err) {
    throw new CsvError(`The CSV could not be parsed: ${(err as Error).message}`);
  }
  const [header, ...body] = records;
  const columns = (header ?? []).map((c) => c.trim());
  if (!columns.length || columns.some((c) => !c)) throw new CsvError("The header row must name every column.");
  const dupes = columns.filter((c, i) => columns.indexOf(c) !== i);
  if (dupes.length) throw new CsvError(`Duplicate column names: ${[...new Set(dupes)].join(", ")}.`);
  const rows = body.map((cells) => Object.fromEntries(columns.map((c, i) => [c, cells[i] ?? ""])));
  return { columns, rows };
}

export function toCsv(table: Table): string {
  return stringify(table.rows, { header: true, columns: table.columns });
}
