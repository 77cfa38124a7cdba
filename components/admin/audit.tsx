"use client";

import { TableHead } from "@/components/ui/table-head";
import type { listAudit } from "@/lib/admin/audit";
import { SearchList } from "./search-list";

type Row = Awaited<ReturnType<typeof listAudit>>["data"][number];

export function AdminAudit() {
  return (
    <SearchList<Row>
      path="/api/v1/admin/audit"
      noun="entries"
      filters={[
        { key: "actor", label: "Actor (email or id)" },
        { key: "action", label: "Action (prefix, e.g. admin.)" },
        { key: "workspace", label: "Workspace (id or slug)" },
        { key: "from", label: "From", type: "date" },
        { key: "to", label: "To", type: "date" },
      ]}
    >
      {(rows) => (
        <table className="w-full min-w-[48rem] text-left text-sm">
          <TableHead className="border-b border-slate-200" columns={["When", "Action", "Actor", "Target", "Details"]} />
          <tbody className="divide-y divide-slate-100">
            {rows.map((a) => (
              <tr key={a.id} data-testid="audit-row">
                <td className="whitespace-nowrap px-4 py-2">{a.at.slice(0, 19).replace("T", " ")}</td>
                <td className="px-4 py-2 font-mono text-xs">{a.action}</td>
                <td className="px-4 py-2">{a.actor ?? "—"}</td>
                <td className="px-4 py-2 font-mono text-xs">{a.target ?? "—"}</td>
                <td className="max-w-xs truncate px-4 py-2 font-mono text-xs text-slate-500" title={a.metadata ? JSON.stringify(a.metadata) : undefined}>
                  {a.metadata ? JSON.stringify(a.metadata) : ""}
                  {a.ip ? ` · ${a.ip}` : ""}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </SearchList>
  );
}
