"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useState, type FormEvent } from "react";
import { WalletHistory } from "@/components/billing/wallet-history";
import { Alert } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { Field, SelectField } from "@/components/ui/field";
import { KeyValueList } from "@/components/ui/key-value-list";
import { QueryStates } from "@/components/ui/query-states";
import { formatUsd, timeAgo } from "@/components/ui/format";
import { RunStatusBadge } from "@/components/runs/run-status-badge";
import { apiFetch } from "@/components/api/fetch-json";
import { microsToUsdInput, parseUsdToMicros } from "@/lib/money/format";
import type { workspaceDetail } from "@/lib/admin/workspaces";
import { adminSend, useAdminMutation } from "./admin-fetch";

type Detail = Awaited<ReturnType<typeof workspaceDetail>>;
const TIERS = ["free", "basic", "pro", "enterprise"];

/** One workspace for operators: facts, actions (tier, cap, suspension, credits, key revocation), members, keys, runs, ledger. */
export function AdminWorkspaceDetail({ id }: { id: string }) {
  const key = ["admin", "workspace", id];
  const q = useQuery({ queryKey: key, queryFn: () => apiFetch<Detail>(`/api/v1/admin/workspaces/${id}`) });
  const update = useAdminMutation((body: unknown) => adminSend(`/api/v1/admin/workspaces/${id}`, "PATCH", body), key);
  const revoke = useAdminMutation((keyId: string) => adminSend(`/api/v1/admin/workspaces/${id}/keys/${keyId}`, "DELETE"), key);
  return (
    <QueryStates query={q} noun="the workspace">
      {(w) => (
        <div className="space-y-6">
          <div className="flex flex-wrap items-center gap-3">
            <h1 className="text-2xl font-bold tracking-tight">{w.name}</h1>
            <span className="font-mono text-sm text-slate-500">{w.slug}</span>
            {w.suspended ? <Badge tone="danger">suspended</Badge> : <Badge tone="success">active</Badge>}
          </div>
          {w.suspended && <Alert tone="warning">Suspended {timeAgo(w.suspended.at)}: {w.suspended.reason}. Its runs get 403 workspace_suspended.</Alert>}
          {(update.error || revoke.error) && <Alert tone="error">{(update.error ?? revoke.error)!.message}</Alert>}
          <div className="grid gap-6 lg:grid-cols-3">
            <Card title="Account">
              <KeyValueList
                rows={[
                  ["Tier", w.tier],
                  ["Payment mode", w.paymentMode],
                  ["Spend cap", w.monthlySpendCapMicros === null ? "none" : formatUsd(w.monthlySpendCapMicros)],
                  ["Available", formatUsd(w.balance.availableMicros)],
                  ["Held", formatUsd(w.balance.heldMicros)],
                  ["Past due since", w.pastDueSince?.slice(0, 10) ?? "—"],
                  ["Stripe customer", w.stripe.customerId ?? "—"],
                  ["Subscription", w.stripe.subscriptionId ? `${w.stripe.subscriptionId} (${w.stripe.subscriptionStatus})` : "—"],
                  ["Created", w.createdAt.slice(0, 10)],
                ]}
              />
            </Card>
            <Card title="Actions" className="lg:col-span-2">
              <div className="space-y-5">
                <PlanForm detail={w} pending={update.isPending} onSave={(body) => update.mutate(body)} />
                <SuspendForm detail={w} pending={update.isPending} onSave={(body) => update.mutate(body)} />
                <CreditsForm id={id} />
              </div>
            </Card>
          </div>
          <div className="grid gap-6 lg:grid-cols-2">
            <Card title="Members">
              <KeyValueList rows={w.members.map((m) => [`${m.email}${m.disabled ? " (disabled)" : ""}`, m.role] as [string, string])} />
            </Card>
            <Card title="API keys">
              <ul className="divide-y divide-slate-100 text-sm">
                {w.keys.map((k) => (
                  <li key={k.id} className="flex items-center justify-between gap-2 py-1.5">
                    <span>
                      {k.name} <span className="font-mono text-xs text-slate-500">{k.prefix}…</span>
                    </span>
                    {k.revokedAt ? (
                      <Badge tone="danger">revoked</Badge>
                    ) : (
                      <Button variant="danger" className="px-2 py-1 text-xs" pending={revoke.isPending && revoke.variables === k.id} onClick={() => window.confirm(`Revoke ${k.name}?`) && revoke.mutate(k.id)} aria-label={`Revoke key ${k.name}`}>
                        Revoke
                      </Button>
                    )}
                  </li>
                ))}
                {w.keys.length === 0 && <li className="py-1.5 text-slate-500">No keys.</li>}
              </ul>
            </Card>
            <Card title="Recent runs">
              <ul className="divide-y divide-slate-100 text-sm">
                {w.runs.map((r) => (
                  <li key={r.id} className="flex items-center justify-between gap-2 py-1.5">
                    <Link href={`/admin/runs/${r.id}`} className="text-brand-700 underline">
                      {r.agentName}
                    </Link>
                    <span className="flex items-center gap-2">
                      <RunStatusBadge status={r.status} /> <span className="tabular-nums">{formatUsd(r.priceMicros)}</span>
                    </span>
                  </li>
                ))}
                {w.runs.length === 0 && <li className="py-1.5 text-slate-500">No runs.</li>}
              </ul>
            </Card>
            <Card title="Ledger">
              <WalletHistory path={`/api/v1/admin/workspaces/${id}/ledger`} runHref={(runId) => `/admin/runs/${runId}`} />
            </Card>
          </div>
        </div>
      )}
    </QueryStates>
  );
}

function PlanForm({ detail, pending, onSave }: { detail: Detail; pending: boolean; onSave: (body: unknown) => void }) {
  const [error, setError] = useState<string | null>(null);
  function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    const capText = String(f.get("cap") ?? "").trim();
    const cap = capText === "" ? null : parseUsdToMicros(capText);
    if (capText !== "" && cap === null) return setError("The cap is an amount in dollars, or empty for none.");
    setError(null);
    onSave({ tierCode: String(f.get("tier")), monthlySpendCapMicros: cap });
  }
  return (
    <form onSubmit={submit} className="grid gap-3 sm:grid-cols-3 sm:items-end" noValidate>
      <SelectField label="Tier" name="tier" defaultValue={detail.tier} key={detail.tier}>
        {TIERS.map((t) => (
          <option key={t} value={t}>
            {t}
          </option>
        ))}
      </SelectField>
      <Field label="Monthly spend cap (USD, empty = none)" name="cap" inputMode="decimal" defaultValue={detail.monthlySpendCapMicros === null ? "" : microsToUsdInput(detail.monthlySpendCapMicros)} key={`cap${detail.monthlySpendCapMicros}`} error={error ?? undefined} />
      <Button type="submit" variant="secondary" pending={pending}>
        Save tier and cap
      </Button>
    </form>
  );
}

function SuspendForm({ detail, pending, onSave }: { detail: Detail; pending: boolean; onSave: (body: unknown) => void }) {
  if (detail.suspended) {
    return (
      <Button variant="secondary" pending={pending} onClick={() => onSave({ unsuspend: true })}>
        Unsuspend workspace
      </Button>
    );
  }
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        onSave({ suspend: { reason: String(new FormData(e.currentTarget).get("reason") ?? "") } });
      }}
      className="flex flex-col gap-3 sm:flex-row sm:items-end"
      noValidate
    >
      <Field label="Reason for suspending" name="reason" className="flex-1" placeholder="e.g. abuse report #123" />
      <Button type="submit" variant="danger" pending={pending}>
        Suspend workspace
      </Button>
    </form>
  );
}

function CreditsForm({ id }: { id: string }) {
  const [error, setError] = useState<string | null>(null);
  // One key per filled-in form: a double-click or a retry of the same form books once; an edit or a success makes a new one.
  const [idempotencyKey, setIdempotencyKey] = useState(() => crypto.randomUUID());
  const renewKey = () => setIdempotencyKey(crypto.randomUUID());
  const adjust = useAdminMutation(
    ({ body, key }: { body: unknown; key: string }) => adminSend(`/api/v1/admin/workspaces/${id}/credits`, "POST", body, { "idempotency-key": key }),
    ["admin", "workspace", id],
    [`/api/v1/admin/workspaces/${id}/ledger`],
  );
  function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    const amount = parseUsdToMicros(String(f.get("amount") ?? ""));
    if (!amount) return setError("An amount in dollars.");
    setError(null);
    adjust.mutate({ body: { direction: String(f.get("direction")), amountMicros: amount, reason: String(f.get("creditReason") ?? "") }, key: idempotencyKey }, { onSuccess: renewKey });
  }
  return (
    <form onSubmit={submit} onChange={renewKey} className="grid gap-3 sm:grid-cols-4 sm:items-end" noValidate>
      <SelectField label="Credits" name="direction" defaultValue="grant">
        <option value="grant">Grant</option>
        <option value="deduct">Deduct</option>
      </SelectField>
      <Field label="Amount (USD)" name="amount" inputMode="decimal" error={error ?? undefined} />
      <Field label="Reason" name="creditReason" placeholder="shown in the ledger" />
      <Button type="submit" pending={adjust.isPending}>
        Apply
      </Button>
      {adjust.error && <p className="text-sm text-red-700 sm:col-span-4" role="alert">{adjust.error.message}</p>}
      {adjust.isSuccess && <p className="text-sm text-green-700 sm:col-span-4" role="status">Done: a ledger transfer with your name and reason.</p>}
    </form>
  );
}
