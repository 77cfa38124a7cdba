import type { ReactNode } from "react";
import { cn } from "./cn";

/**
 * Wide content that stays as it is (a table of many columns) and scrolls sideways inside
 * this region instead of widening the page; the region takes focus so keyboards can scroll it.
 */
export function ScrollRegion({ label, className, children }: { label: string; className?: string; children: ReactNode }) {
  return (
    <div role="region" aria-label={label} tabIndex={0} className={cn("overflow-x-auto", className)}>
      {children}
    </div>
  );
}
