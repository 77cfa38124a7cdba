"use client";

import { useState, type FormEvent } from "react";
import { Alert } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { RevokeButton } from "@/components/ui/revoke-button";
import { TableHead } from "@/components/ui/table-head";
import { Field } from "@/components/ui/field";
import { QueryStates } from "@/components/ui/query-states";
import { timeAgo } from "@/components/ui/format";
import { RequestFailure } from "@/components/api/fetch-json";
import { parseUsdToMicros } from "@/lib/money/format";
import { KeyPins } from "./key-pins";
import { KeySpendLimit } from "./key-spend-limit";
import { NewKeySecret } from "./new-key-secret";
import { useApiKeys, useCreateApiKey, useRevokeApiKey } from "./use-api-keys";

export function ApiKeysPanel() {
  const keys = useApiKeys();
  const create = useCreateApiKey();
  const revoke = useRevokeApiKey();
  const [secret, setSecret] = useState<{ name: string; secret: string } | null>(null);
  const [limitError, setLimitError] = useState<string | null>(null);
  const createError = create.error instanceof RequestFailure ? create.error : null;

  async function onCreate(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = e.currentTarget;
    const data = new FormData(form);
    const name = String(data.get("name") ?? "");
    const limitText = String(data.get("limit") ?? "").trim();
    const limit = limitText ? parseUsdToMicros(limitText) : null;
    if (limitText && limit === null) return setLimitError("Enter an amount in dollars, e.g. 20 — or leave it empty.");
    setLimitError(null);
    const key = await create.mutateAsync({ name, monthlySpendLimitMicros: limit }).catch(() => null);
    if (key) {
      setSecret({ name: key.name, secret: key.secret });
      form.reset();
    }
  }

  return (
    <div className="space-y-6">
      <Card title="Create an API key" description="Keys act as this workspace on /api/v1. Send them as Authorization: Bearer <key>.">
        {secret && <NewKeySecret name={secret.name} secret={secret.secret} onDismiss={() => setSecret(null)} />}
        <form method="post" onSubmit={onCreate} className="flex flex-col gap-3 sm:flex-row sm:items-end" noValidate>
          <Field
            label="Key name"
            name="name"
            placeholder="e.g. CI pipeline"
            maxLength={80}
            required
            className="flex-1"
            error={createError?.fieldErrors.name ?? (createError ? createError.message : undefined)}
          />
          <Field
            label="Monthly spend limit, USD (optional)"
            name="limit"
            inputMode="decimal"
            placeholder="no limit"
            className="sm:w-56"
            error={limitError ?? createError?.fieldErrors.monthlySpendLimitMicros}
          />
          <Button type="submit" pending={create.isPending}>
            Create key
          </Button>
        </form>
      </Card>

      <Card title="API keys">
        <QueryStates
          query={keys}
          noun="keys"
          isEmpty={keys.data?.length === 0}
          empty={<EmptyState title="No API keys yet">Create one above to call the API from your code.</EmptyState>}
        >
          {(list) => (
          <div className="sm:overflow-x-auto">
            <table className="table-stack min-w-full text-left text-sm">
              <TableHead columns={[{ label: "Name", className: "sm:pl-0" }, "Key", "Created", "Last used", "This month", "Version pins", { label: "Actions", srOnly: true, className: "sm:pr-0" }]} />
              <tbody className="divide-y divide-slate-100">
                {list.map((k) => (
                  <tr key={k.id} data-testid="api-key-row">
                    <td data-label="Name" className="px-4 py-2 font-medium text-slate-900 sm:pl-0">{k.name}</td>
                    <td data-label="Key" className="px-4 py-2 font-mono text-xs text-slate-600">{k.prefix}…</td>
                    <td data-label="Created" className="px-4 py-2 text-slate-600" title={new Date(k.createdAt).toLocaleString()}>{timeAgo(k.createdAt)}</td>
                    <td data-label="Last used" className="px-4 py-2 text-slate-600">{timeAgo(k.lastUsedAt)}</td>
                    <td data-label="This month" className="px-4 py-2 text-slate-600">
                      <KeySpendLimit apiKey={k} />
                    </td>
                    <td data-label="Version pins" className="px-4 py-2 text-slate-600">
                      <KeyPins apiKey={k} />
                    </td>
                    <td data-label="Actions" className="px-4 py-2 text-right sm:pr-0">
                      {k.revokedAt ? (
                        <Badge tone="danger">Revoked</Badge>
                      ) : (
                        <RevokeButton
                          label={`Revoke ${k.name}`}
                          question={`Revoke “${k.name}”? Anything using it stops working at once.`}
                          pending={revoke.isPending && revoke.variables === k.id}
                          onRevoke={() => revoke.mutate(k.id)}
                        />
                      )}
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
    </div>
  );
}
