"use client";

import { Button } from "@/components/ui/button";
import { Field, SelectField } from "@/components/ui/field";
import type { AcceptanceCheck } from "./types";

// The acceptance checks of the posting form, one row each; the evaluator check is API-only.

export type CheckType = "required" | "range" | "regex" | "citations";
export type CheckRow = { key: string; type: CheckType; path: string; min: string; max: string; pattern: string };

export const newCheckRow = (type: CheckType = "required"): CheckRow => ({ key: crypto.randomUUID(), type, path: "", min: "", max: "", pattern: "" });

const num = (text: string) => (text.trim() === "" ? undefined : Number(text));

/** A row as the API takes it. */
export function checkOf(row: CheckRow): AcceptanceCheck {
  switch (row.type) {
    case "required":
      return { type: "required", paths: row.path.split(",").map((p) => p.trim()).filter(Boolean) };
    case "range":
      return { type: "range", path: row.path.trim(), min: num(row.min), max: num(row.max) };
    case "regex":
      return { type: "regex", path: row.path.trim(), pattern: row.pattern };
    case "citations":
      return { type: "citations", path: row.path.trim(), min: num(row.min) ?? 1 };
  }
}

const TYPES: { type: CheckType; label: string }[] = [
  { type: "required", label: "Required fields" },
  { type: "range", label: "Number in a range" },
  { type: "regex", label: "Text matches a pattern" },
  { type: "citations", label: "Minimum citations" },
];

/** Checks rows; `errorAt(i, field)` is the server's message for `acceptance.checks.<i>.<field>`, if any. */
export function ChecksBuilder({ rows, onChange, errorAt }: { rows: CheckRow[]; onChange: (rows: CheckRow[]) => void; errorAt: (i: number, ...fields: string[]) => string | undefined }) {
  const update = (i: number, patch: Partial<CheckRow>) => onChange(rows.map((r, j) => (j === i ? { ...r, ...patch } : r)));
  return (
    <fieldset className="min-w-0 space-y-3">
      <legend className="text-sm font-medium text-slate-800">Checks on the output</legend>
      <p className="text-xs text-slate-500">Fields are JSON Pointers into the output, such as /summary or /items/0/name.</p>
      {rows.length === 0 && <p className="text-sm text-slate-500">No checks: the output schema alone decides.</p>}
      <ol className="space-y-3">
        {rows.map((row, i) => (
          <li key={row.key} className="grid gap-3 rounded-md p-3 ring-1 ring-slate-200 sm:grid-cols-[12rem_1fr_auto]" data-testid="check-row">
            <SelectField label={`Check ${i + 1}`} value={row.type} onChange={(e) => update(i, { type: e.target.value as CheckType })} error={errorAt(i, "type")}>
              {TYPES.map((t) => (
                <option key={t.type} value={t.type}>
                  {t.label}
                </option>
              ))}
            </SelectField>
            <div className="grid min-w-0 gap-3 sm:grid-cols-3">
              <Field
                label={row.type === "required" ? "Fields (comma-separated)" : "Field"}
                className={row.type === "required" ? "sm:col-span-3" : undefined}
                value={row.path}
                placeholder={row.type === "required" ? "/summary, /sources" : "/score"}
                onChange={(e) => update(i, { path: e.target.value })}
                error={errorAt(i, "path", "paths")}
              />
              {row.type === "range" && (
                <>
                  <Field label="Minimum" inputMode="decimal" value={row.min} onChange={(e) => update(i, { min: e.target.value })} error={errorAt(i, "min")} />
                  <Field label="Maximum" inputMode="decimal" value={row.max} onChange={(e) => update(i, { max: e.target.value })} error={errorAt(i, "max")} />
                </>
              )}
              {row.type === "regex" && (
                <Field label="Pattern (RE2)" className="sm:col-span-2" value={row.pattern} onChange={(e) => update(i, { pattern: e.target.value })} error={errorAt(i, "pattern")} />
              )}
              {row.type === "citations" && <Field label="At least" inputMode="numeric" value={row.min} onChange={(e) => update(i, { min: e.target.value })} error={errorAt(i, "min")} />}
            </div>
            <div className="flex items-end">
              <Button type="button" variant="ghost" onClick={() => onChange(rows.filter((_, j) => j !== i))} aria-label={`Remove check ${i + 1}`}>
                Remove
              </Button>
            </div>
          </li>
        ))}
      </ol>
      <Button type="button" variant="secondary" onClick={() => onChange([...rows, newCheckRow()])}>
        Add check
      </Button>
    </fieldset>
  );
}
