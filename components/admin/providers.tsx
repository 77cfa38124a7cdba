"use client";

import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import Link from "next/link";
import { Alert } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { QueryStates } from "@/components/ui/query-states";
import { TableHead } from "@/components/ui/table-head";
import { apiFetch, RequestFailure } from "@/components/api/fetch-json";
import type { listProvidersAdmin } from "@/lib/providers/providers";
import { adminSend, useAdminMutation } from "./admin-fetch";

type Provider = Awaited<ReturnType<typeof listProvidersAdmin>>[number];
const key = ["admin", "providers"];

/** Every provider; an admin sets or clears its verified badge and sets its platform fee (audit-logged). */
export function AdminProviders() {
  const q = useQuery({ queryKey: key, queryFn: async () => (await apiFetch<{ data: Provider[] }>("/api/v1/admin/providers")).data });
  return (
    <QueryStates query={q} noun="providers">
      {(providers) => (
        <div className="rounded-lg bg-white shadow-sm ring-1 ring-slate-200 sm:overflow-x-auto">
          <table className="table-stack w-full text-left text-sm sm:min-w-[44rem]">
            <TableHead className="border-b border-slate-200" columns={["Provider", "Workspace", "Package versions", "Platform fee", "Verified", { label: "Actions", srOnly: true }]} />
            <tbody className="divide-y divide-slate-100">
              {providers.map((p) => (
                <ProviderRow key={p.id} provider={p} />
              ))}
            </tbody>
          </table>
        </div>
      )}
    </QueryStates>
  );
}

function ProviderRow({ provider: p }: { provider: Provider }) {
  const save = useAdminMutation((verified: boolean) => adminSend(`/api/v1/admin/providers/${p.id}`, "PATCH", { verified }), key);
  return (
    <tr data-testid="admin-provider-row">
      <td data-label="Provider" className="px-4 py-2">
        <Link href={`/providers/${p.slug}`} className="font-medium underline">
          {p.name}
        </Link>{" "}
        <span className="font-mono text-xs text-slate-500">{p.slug}</span>
      </td>
      <td data-label="Workspace" className="px-4 py-2">
        {p.workspace ? (
          <Link href={`/admin/workspaces/${p.workspace.id}`} className="underline">
            {p.workspace.name}
          </Link>
        ) : (
          "the platform"
        )}
      </td>
      <td data-label="Package versions" className="px-4 py-2 tabular-nums">{p.packageVersions}</td>
      <td data-label="Platform fee" className="px-4 py-2">
        <FeeForm provider={p} />
      </td>
      <td data-label="Verified" className="px-4 py-2">{p.verified ? <Badge tone="success">verified</Badge> : <Badge>not verified</Badge>}</td>
      <td data-label="Actions" className="px-4 py-2 text-right">
        <Button variant="secondary" className="px-2 py-1 text-xs" pending={save.isPending} onClick={() => save.mutate(!p.verified)} aria-label={`${p.verified ? "Unverify" : "Verify"} ${p.name}`}>
          {p.verified ? "Unverify" : "Verify"}
        </Button>
        {save.error && <Alert tone="error">{save.error.message}</Alert>}
      </td>
    </tr>
  );
}

/** The platform's fee on one provider's runs, in percent (blank: the default). */
function FeeForm({ provider: p }: { provider: Provider }) {
  const [percent, setPercent] = useState(p.platformFeeBps === null ? "" : String(p.platformFeeBps / 100));
  const save = useAdminMutation((platformFeeBps: number | null) => adminSend(`/api/v1/admin/providers/${p.id}`, "PATCH", { platformFeeBps }), key);
  const fieldError = save.error instanceof RequestFailure ? save.error.fieldErrors.platformFeeBps : undefined;
  return (
    <form
      className="flex items-end gap-2"
      onSubmit={(e) => {
        e.preventDefault();
        save.mutate(percent.trim() === "" ? null : Math.round(Number(percent) * 100));
      }}
    >
      <Field
        label={`Fee % for ${p.name}`}
        className="w-28 [&_label]:sr-only"
        inputMode="decimal"
        name="platformFee"
        value={percent}
        placeholder={`${p.effectiveFeeBps / 100} (default)`}
        onChange={(e) => setPercent(e.target.value)}
        error={fieldError ?? (save.error && !fieldError ? save.error.message : undefined)}
      />
      <Button type="submit" variant="secondary" className="px-2 py-1 text-xs" pending={save.isPending} aria-label={`Save the fee of ${p.name}`}>
        Save
      </Button>
    </form>
  );
}
