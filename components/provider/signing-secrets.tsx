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
import { RevokeButton } from "@/components/ui/revoke-button";
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
          <ul className="divide-y divide-slate-100">
            {list.map((s) => (
              <li key={s.id} data-testid="signing-secret-row" className="flex flex-wrap items-center justify-between gap-x-4 gap-y-1 py-2 text-sm">
                <span className="font-mono text-xs text-slate-700">
                  whsec_…{s.last4} {s.current ? <Badge tone="success">Current</Badge> : <Badge>Previous</Badge>}
                </span>
                <span className="text-slate-600" title={new Date(s.createdAt).toLocaleString()}>
                  Created {timeAgo(s.createdAt)} · valid {s.expiresAt ? `until ${new Date(s.expiresAt).toLocaleString()}` : "until rotated"}
                </span>
                <RevokeButton
                  label={`Revoke the secret ending ${s.last4}`}
                  question={`Revoke the secret ending ${s.last4}? Requests signed only with it stop verifying at once.`}
                  pending={revoke.isPending && revoke.variables === s.id}
                  onRevoke={() => revoke.mutate(s.id)}
                />
              </li>
            ))}
          </ul>
        )}
      </QueryStates>
      {revoke.isError && <Alert tone="error" className="mt-3">{revoke.error.message}</Alert>}
    </Card>
  );
}
