"use client";

import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { TableHead } from "@/components/ui/table-head";
import { Alert } from "@/components/ui/alert";
import type { searchUsers } from "@/lib/admin/users";
import { adminSend, useAdminMutation } from "./admin-fetch";
import { SearchList } from "./search-list";

type Row = Awaited<ReturnType<typeof searchUsers>>["data"][number];

export function AdminUsers({ selfId }: { selfId: string }) {
  const update = useAdminMutation(({ id, body }: { id: string; body: unknown }) => adminSend(`/api/v1/admin/users/${id}`, "PATCH", body), ["/api/v1/admin/users"]);
  return (
    <div className="space-y-3">
      {update.error && <Alert tone="error">{update.error.message}</Alert>}
      <SearchList<Row> path="/api/v1/admin/users" noun="users" filters={[{ key: "q", label: "Search email, name or id" }]}>
        {(rows) => (
          <table className="table-stack w-full text-left text-sm sm:min-w-[40rem]">
            <TableHead className="border-b border-slate-200" columns={["User", "Workspaces", "Joined", "Status", { label: "Actions", srOnly: true }]} />
            <tbody className="divide-y divide-slate-100">
              {rows.map((u) => (
                <tr key={u.id} data-testid="admin-user-row">
                  <td data-label="User" className="px-4 py-2">
                    <span className="font-medium">{u.email}</span> {u.isAdmin && <Badge tone="brand">admin</Badge>}
                  </td>
                  <td data-label="Workspaces" className="px-4 py-2 tabular-nums">{u.workspaces}</td>
                  <td data-label="Joined" className="px-4 py-2">{u.createdAt.slice(0, 10)}</td>
                  <td data-label="Status" className="px-4 py-2">{u.disabled ? <Badge tone="danger">disabled</Badge> : <Badge tone="success">active</Badge>}</td>
                  <td data-label="Actions" className="space-x-2 whitespace-nowrap px-4 py-2 sm:text-right">
                    {u.id !== selfId && (
                      <>
                        <Button variant={u.disabled ? "secondary" : "danger"} className="px-2 py-1 text-xs" onClick={() => update.mutate({ id: u.id, body: { disabled: !u.disabled } })} aria-label={`${u.disabled ? "Enable" : "Disable"} ${u.email}`}>
                          {u.disabled ? "Enable" : "Disable"}
                        </Button>
                        <Button variant="secondary" className="px-2 py-1 text-xs" onClick={() => update.mutate({ id: u.id, body: { isAdmin: !u.isAdmin } })} aria-label={`${u.isAdmin ? "Revoke admin from" : "Make admin"} ${u.email}`}>
                          {u.isAdmin ? "Revoke admin" : "Make admin"}
                        </Button>
                      </>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </SearchList>
    </div>
  );
}
