import type { SchemaChange } from "@/lib/packages/schema-diff";
import { TableHead } from "@/components/ui/table-head";

type Refusal = { changes: SchemaChange[]; previous: string };

/** The breaking-change refusal's details (lib/packages/schema-diff.ts), or null for any other error. */
export function schemaRefusal(details: unknown): Refusal | null {
  const d = details as Partial<Refusal> | undefined;
  return d && Array.isArray(d.changes) && typeof d.previous === "string" ? (d as Refusal) : null;
}

const WORDS: Record<SchemaChange["change"], string> = {
  property_removed: "Property removed",
  property_required: "Newly required",
  type_narrowed: "Type narrowed",
  enum_values_removed: "Allowed values removed",
  enum_added: "Now limited to listed values",
  additional_properties_closed: "Other properties refused",
  bound_tightened: "Bound tightened",
  ref_changed: "Reference changed",
  composition_changed: "allOf/anyOf/oneOf changed",
};

const shown = (v: unknown) => (v === null || v === undefined ? "—" : JSON.stringify(v));

/** The input-schema changes that make a version incompatible with `previous`: where, what, before and after. */
export function SchemaChanges({ refusal }: { refusal: Refusal }) {
  return (
    <div className="space-y-2" data-testid="schema-changes">
      <p className="text-sm text-slate-700">
        Incompatible input changes since {refusal.previous}. Callers pinned to {refusal.previous.split(".")[0]} would get inputs refused: publish these as a new major version, or keep the input compatible.
      </p>
      <div className="sm:overflow-x-auto">
        <table className="table-stack min-w-full text-left text-sm">
          <TableHead columns={[{ label: "Where", className: "sm:pl-0" }, "Change", "Before", "After"]} />
          <tbody className="divide-y divide-slate-100">
            {refusal.changes.map((c, i) => (
              <tr key={i}>
                <td data-label="Where" className="px-4 py-2 font-mono text-xs sm:pl-0">{c.path}</td>
                <td data-label="Change" className="px-4 py-2">{WORDS[c.change]}</td>
                <td data-label="Before" className="max-w-48 break-words px-4 py-2 font-mono text-xs text-slate-600">{shown(c.before)}</td>
                <td data-label="After" className="max-w-48 break-words px-4 py-2 font-mono text-xs text-slate-600">{shown(c.after)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}
