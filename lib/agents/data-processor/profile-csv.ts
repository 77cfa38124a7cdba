import { parseCsv, type Table } from "./csv";
import { toNumber } from "./expression";

export type ColumnType = "integer" | "number" | "boolean" | "date" | "string" | "empty";

export type ColumnProfile = {
  name: string;
  type: ColumnType;
  nulls: number;
  distinct: number;
  min?: number;
  max?: number;
  examples: string[];
};

const NULLISH = new Set(["", "null", "na", "n/a", "nan", "none", "-"]);
export const isNullish = (v: string) => NULLISH.has(v.trim().toLowerCase());

function inferType(values: string[]): ColumnType {
  if (!values.length) return "empty";
  if (values.every((v) => /^-?\d{1,15}$/.test(v.replace(/,/g, "")))) return "integer";
  if (values.every((v) => toNumber(v) !== null)) return "number";
  if (values.every((v) => /^(true|false|yes|no)$/i.test(v))) return "boolean";
  if (values.every((v) => /^\d{4}-\d{2}-\d{2}([T ][\d:.]+(Z|[+-]\d{2}:?\d{2})?)?$/.test(v) && !Number.isNaN(Date.parse(v)))) return "date";
  return "string";
}

export function profileTable(table: Table): { rows: number; columns: ColumnProfile[] } {
  return {
    rows: table.rows.length,
    columns: table.columns.map((name) => {
      const all = table.rows.map((r) => r[name] ?? "");
      const present = all.filter((v) => !isNullish(v)).map((v) => v.trim());
      const type = inferType(present);
      const profile: ColumnProfile = { name, type, nulls: all.length - present.length, distinct: new Set(present).size, examples: [...new Set(present)].slice(0, 3) };
      if (type === "integer" || type === "number") {
        const nums = present.map((v) => toNumber(v)!);
        profile.min = nums.reduce((a, b) => Math.min(a, b));
        profile.max = nums.reduce((a, b) => Math.max(a, b));
      }
      return profile;
    }),
  };
}

/** profile_csv: columns, inferred types, nulls, distinct counts (and ranges for numbers). */
export function profileCsv(input: { csv: string }) {
  return profileTable(parseCsv(input.csv));
}
