"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useState, type FormEvent } from "react";
import { Alert } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { QueryStates } from "@/components/ui/query-states";
import { formatNumber, formatUsd } from "@/components/ui/format";
import { TableHead } from "@/components/ui/table-head";
import { apiFetch } from "@/components/api/fetch-json";
import { microsToUsdInput, parseUsdToMicros } from "@/lib/money/format";
import type { listPackagesAdmin } from "@/lib/admin/catalog-admin";
import { adminSend, useAdminMutation } from "./admin-fetch";

type Pkg = Awaited<ReturnType<typeof listPackagesAdmin>>[number];
const key = ["admin", "packages"];

export function AdminPackages() {
  const q = useQuery({ queryKey: key, queryFn: async () => (await apiFetch<{ data: Pkg[] }>("/api/v1/admin/packages")).data });
  const [editing, setEditing] = useState<string | null>(null);
  return (
    <QueryStates query={q} noun="packages">
      {(packages) => (
        <div className="rounded-lg bg-white shadow-sm ring-1 ring-slate-200 sm:overflow-x-auto">
          <table className="table-stack w-full text-left text-sm sm:min-w-[56rem]">
            <TableHead className="border-b border-slate-200" columns={["Package", "Status", "Base fee", "Model", "Runs", "Success", "Revenue", "Rating", { label: "Actions", srOnly: true }]} />
            <tbody className="divide-y divide-slate-100">
              {packages.map((p) => (
                <PackageRow key={p.id} pkg={p} editing={editing === p.id} onEdit={() => setEditing(editing === p.id ? null : p.id)} />
              ))}
            </tbody>
          </table>
        </div>
      )}
    </QueryStates>
  );
}

function PackageRow({ pkg: p, editing, onEdit }: { pkg: Pkg; editing: boolean; onEdit: () => void }) {
  const [error, setError] = useState<string | null>(null);
  const save = useAdminMutation((body: unknown) => adminSend(`/api/v1/admin/packages/${p.id}`, "PATCH", body), key);
  function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    const fee = parseUsdToMicros(String(f.get("fee") ?? ""));
    if (fee === null) return setError("The base fee is an amount in dollars.");
    const status = String(f.get("status"));
    setError(null);
    save.mutate({ baseFeeMicros: fee, model: String(f.get("model")), maxOutputTokens: Number(f.get("maxTokens")), status, ...(status === "SUSPENDED" ? { suspendedReason: String(f.get("reason") ?? "") } : {}) }, { onSuccess: onEdit });
  }
  return (
    <>
      <tr data-testid="admin-package-row">
        <td data-label="Package" className="px-4 py-2">
          <span>
            <span className="font-medium">{p.name}</span> <span className="font-mono text-xs text-slate-500">{p.slug}@{p.version}</span>
          </span>
        </td>
        <td data-label="Status" className="px-4 py-2">{p.status === "PUBLISHED" ? <Badge tone="success">published</Badge> : <Badge tone="danger" >{p.status.toLowerCase()}</Badge>}</td>
        <td data-label="Base fee" className="px-4 py-2 tabular-nums">{formatUsd(p.baseFeeMicros)}</td>
        <td data-label="Model" className="px-4 py-2 font-mono text-xs">{p.model}</td>
        <td data-label="Runs" className="px-4 py-2 tabular-nums">
          <Link href={`/admin/runs?agent=${p.slug}`} className="underline">
            {formatNumber(p.runs)}
          </Link>
        </td>
        <td data-label="Success" className="px-4 py-2 tabular-nums">{p.successRate === null ? "—" : `${Math.round(p.successRate * 100)}%`}</td>
        <td data-label="Revenue" className="px-4 py-2 tabular-nums">{formatUsd(p.revenueMicros ?? 0)}</td>
        <td data-label="Rating" className="px-4 py-2 tabular-nums">{p.rating === null ? "—" : p.rating.toFixed(1)}</td>
        <td data-label="Actions" className="px-4 py-2 text-right">
          <Button variant="secondary" className="px-2 py-1 text-xs" onClick={onEdit} aria-expanded={editing} aria-label={`Edit ${p.slug} ${p.version}`}>
            Edit
          </Button>
        </td>
      </tr>
      {editing && (
        <tr>
          <td colSpan={9} className="bg-slate-50 px-4 py-3">
            <form onSubmit={submit} className="grid gap-3 sm:grid-cols-5 sm:items-end" noValidate aria-label={`Edit ${p.slug}`}>
              <Field label="Base fee (USD)" name="fee" inputMode="decimal" defaultValue={microsToUsdInput(p.baseFeeMicros)} error={error ?? undefined} />
              <Field label="Model" name="model" defaultValue={p.model} />
              <Field label="Max output tokens" name="maxTokens" type="number" defaultValue={p.maxOutputTokens} />
              <label className="text-sm">
                <span className="mb-1 block font-medium text-slate-700">Status</span>
                <select name="status" defaultValue={p.status === "SUSPENDED" ? "SUSPENDED" : "PUBLISHED"} className="block w-full rounded-md px-2 py-2 ring-1 ring-slate-300">
                  <option value="PUBLISHED">Published</option>
                  <option value="SUSPENDED">Suspended</option>
                </select>
              </label>
              <Field label="Suspension reason" name="reason" defaultValue={p.suspendedReason ?? ""} />
              <div className="sm:col-span-5">
                <Button type="submit" pending={save.isPending}>
                  Save package
                </Button>
              </div>
              {save.error && <Alert tone="error" className="sm:col-span-5">{save.error.message}</Alert>}
            </form>
          </td>
        </tr>
      )}
    </>
  );
}
