import type { ReactNode } from "react";
import { cn } from "./cn";

/** A table's header row: one `<th scope="col">` per column; a column without a visible label names itself for screen readers. */
export function TableHead({ columns, className, cellClassName = "px-4 py-2" }: { columns: (string | { label: ReactNode; srOnly?: boolean; className?: string })[]; className?: string; cellClassName?: string }) {
  return (
    <thead className={cn("text-xs uppercase tracking-wide text-slate-500", className)}>
      <tr>
        {columns.map((c, i) => {
          const col = typeof c === "string" ? { label: c } : c;
          return (
            <th key={i} scope="col" className={cn("font-medium", cellClassName, col.className)}>
              {col.srOnly ? <span className="sr-only">{col.label}</span> : col.label}
            </th>
          );
        })}
      </tr>
    </thead>
  );
}
