"use client";

import Link from "next/link";
import { Badge } from "@/components/ui/badge";
import { formatNumber, formatUsd } from "@/components/ui/format";
import { TableHead } from "@/components/ui/table-head";
import type { searchWorkspaces } from "@/lib/admin/workspaces";
import { SearchList } from "./search-list";

type Row = Awaited<ReturnType<typeof searchWorkspaces>>["data"][number];

export function AdminWorkspaces() {
  return (
    <SearchList<Row> path="/api/v1/admin/workspaces" noun="workspaces" filters={[{ key: "q", label: "Search name, slug, id or Stripe customer" }]}>
      {(rows) => (
        <table className="w-full min-w-[40rem] text-left text-sm">
          <TableHead className="border-b border-slate-200" columns={["Workspace", "Tier", "Members", "Runs", "Balance", "Status"]} />
          <tbody className="divide-y divide-slate-100">
            {rows.map((w) => (
              <tr key={w.id} data-testid="admin-workspace-row">
                <td className="px-4 py-2">
                  <Link href={`/admin/workspaces/${w.id}`} className="font-medium text-brand-700 underline">
                    {w.name}
                  </Link>
                  <span className="ml-2 font-mono text-xs text-slate-500">{w.slug}</span>
                </td>
                <td className="px-4 py-2">{w.tier}{w.paymentMode === "METERED" ? " · metered" : ""}</td>
                <td className="px-4 py-2 tabular-nums">{formatNumber(w.members)}</td>
                <td className="px-4 py-2 tabular-nums">{formatNumber(w.runs)}</td>
                <td className="px-4 py-2 tabular-nums">{formatUsd(w.availableMicros)}</td>
                <td className="px-4 py-2">{w.suspended ? <Badge tone="danger">suspended</Badge> : <Badge tone="success">active</Badge>}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </SearchList>
  );
}
