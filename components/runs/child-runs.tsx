import Link from "next/link";
import { countOf, formatUsd } from "@/components/ui/format";
import { RunStatusBadge } from "./run-status-badge";
import type { RunSummary } from "./run-types";

/** The runs an agent started (Workflow Orchestrator), as a tree under this run. */
export function ChildRuns({ runId, runs }: { runId: string; runs: RunSummary[] }) {
  const byParent = new Map<string, RunSummary[]>();
  for (const r of runs) byParent.set(r.parentRunId ?? "", [...(byParent.get(r.parentRunId ?? "") ?? []), r]);
  const total = runs.reduce((sum, r) => sum + r.priceMicros, 0);

  const branch = (parentId: string, level: number) => {
    const kids = byParent.get(parentId);
    if (!kids?.length) return null;
    return (
      <ul className={level ? "ml-4 border-l border-slate-200 pl-3" : ""} role={level ? "group" : "tree"} aria-label={level ? undefined : "Child runs"}>
        {kids.map((r) => (
          <li key={r.id} role="treeitem" aria-selected={false} data-testid="child-run" className="py-1">
            <div className="flex flex-wrap items-center gap-2 text-sm">
              <Link href={`/runs/${r.id}`} className="font-medium text-brand-700 hover:underline">
                {r.agentName}
              </Link>
              <RunStatusBadge status={r.status} />
              <span className="text-xs tabular-nums text-slate-500">{formatUsd(r.priceMicros)}</span>
            </div>
            {branch(r.id, level + 1)}
          </li>
        ))}
      </ul>
    );
  };

  return (
    <div className="space-y-2">
      {branch(runId, 0)}
      <p className="text-xs text-slate-500">
        {countOf(runs.length, "child run")}, {formatUsd(total)} in total — each charged as its own run.
      </p>
    </div>
  );
}
