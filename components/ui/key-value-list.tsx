import type { ReactNode } from "react";
import { cn } from "./cn";

/** Label → value rows (plan limits, run usage). */
export function KeyValueList({ rows, className }: { rows: [string, ReactNode][]; className?: string }) {
  return (
    <dl className={cn("divide-y divide-slate-100 text-sm", className)}>
      {rows.map(([label, value]) => (
        <div key={label} className="flex justify-between gap-4 py-1.5">
          <dt className="text-slate-600">{label}</dt>
          <dd className="font-medium tabular-nums text-slate-900">{value}</dd>
        </div>
      ))}
    </dl>
  );
}
