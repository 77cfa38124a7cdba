"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { NewKeySecret } from "@/components/keys/new-key-secret";
import { apiFetch } from "@/components/api/fetch-json";
import { Alert } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { QueryStates } from "@/components/ui/query-states";
import { TableHead } from "@/components/ui/table-head";
import { timeAgo } from "@/components/ui/format";
import type { ProviderSecretJson } from "@/lib/remote/secrets";

const secretsKey = ["provider-secrets"] as const;

/**
 * The provider's signing secret (remote packages): Agora signs every request to
 * the provider's agent with it and sends it as the credential the agent card
 * asks for. Made or rotated here — shown once — the previous one staying valid
 * until its expiry so the agent can switch without downtime. At most two are live.
 */
export function SigningSecrets() {
  const queryClient = useQueryClient();
  const secrets = useQuery({ queryKey: secretsKey, queryFn: async () => (await apiFetch<{ secrets: ProviderSecretJson[] }>("/api/v1/provider/secrets")).secrets });
  const refresh = () => queryClient.invalidateQueries({ queryKey: secretsKey });
  const rotate = useMutation({ mutationFn: () => apiFetch<{ secret: string }>("/api/v1/provider/secrets", { method: "POST" }), onSuccess: refresh });
  const revoke = useMutation({ mutationFn: (id: string) => apiFetch(`/api/v1/provider/secrets/${id}`, { method: "DELETE" }), onSuccess: refresh });
  const [shown, setShown] = useState<string | null>(null);
  const hasOne = (secrets.data?.length ?? 0) > 0;

  return (
    <Card
      title="Signing secret"
      description="Agora signs each request to your remote agents with it (Standard Webhooks headers) and sends it as the credential your agent card declares. Rotating keeps the previous secret valid for a day."
      actions={
        <Button pending={rotate.isPending} onClick={() => rotate.mutateAsync().then((r) => setShown(r.secret), () => undefined)}>
          {hasOne ? "Rotate secret" : "Create secret"}
        </Button>
      }
    >
      {shown && <NewKeySecret name="Your new signing secret" noun="secret" testId="new-signing-secret" secret={shown} onDismiss={() => setShown(null)} />}
      {rotate.isError && <Alert tone="error" className="mb-3">{rotate.error.message}</Alert>}
      <QueryStates
        query={secrets}
        noun="signing secrets"
        isEmpty={!hasOne}
        empty={<EmptyState title="No signing secret yet">Create one before publishing a remote package: its endpoint must verify Agora&apos;s signature.</EmptyState>}
      >
        {(list) => (
          <div className="sm:overflow-x-auto">
            <table className="table-stack min-w-full text-left text-sm">
              <TableHead columns={[{ label: "Secret", className: "sm:pl-0" }, "Created", "Valid until", { label: "Actions", srOnly: true, className: "sm:pr-0" }]} />
              <tbody className="divide-y divide-slate-100">
                {list.map((s) => (
                  <tr key={s.id} data-testid="signing-secret-row">
                    <td data-label="Secret" className="px-4 py-2 font-mono text-xs text-slate-600 sm:pl-0">
                      whsec_…{s.last4} {s.current ? <Badge tone="success">Current</Badge> : <Badge>Previous</Badge>}
                    </td>
                    <td data-label="Created" className="px-4 py-2 text-slate-600" title={new Date(s.createdAt).toLocaleString()}>{timeAgo(s.createdAt)}</td>
                    <td data-label="Valid until" className="px-4 py-2 text-slate-600">{s.expiresAt ? new Date(s.expiresAt).toLocaleString() : "until rotated"}</td>
                    <td data-label="Actions" className="px-4 py-2 text-right sm:pr-0">
                      <Button
                        variant="danger"
                        className="px-2.5 py-1 text-xs"
                        pending={revoke.isPending && revoke.variables === s.id}
                        aria-label={`Revoke the secret ending ${s.last4}`}
                        onClick={() => {
                          if (window.confirm(`Revoke the secret ending ${s.last4}? Requests signed only with it stop verifying at once.`)) revoke.mutate(s.id);
                        }}
                      >
                        Revoke
                      </Button>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </QueryStates>
      {revoke.isError && <Alert tone="error" className="mt-3">{revoke.error.message}</Alert>}
    </Card>
  );
}
