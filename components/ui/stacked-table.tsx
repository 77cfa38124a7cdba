import type { ReactNode } from "react";
import { TableHead } from "./table-head";

export type StackedRow = { key: string; id?: string; className?: string; cells: ReactNode[] };

/**
 * A table that stacks its cells under their column names on a phone (`table-stack`, each cell labelled)
 * and scrolls sideways inside itself from `sm` up when wider than its card.
 */
export function StackedTable({ columns, rows, testId, minWidth = "sm:min-w-[44rem]" }: { columns: string[]; rows: StackedRow[]; testId?: string; minWidth?: string }) {
  return (
    <div className="sm:overflow-x-auto">
      <table className={`table-stack w-full text-left text-sm ${minWidth}`} data-testid={testId}>
        <TableHead className="border-b border-slate-200" columns={columns} />
        <tbody className="divide-y divide-slate-100">
          {rows.map((r) => (
            <tr key={r.key} id={r.id} className={r.className}>
              {r.cells.map((cell, j) => (
                <td key={columns[j]} data-label={columns[j]} className="px-4 py-2">
                  {cell}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
