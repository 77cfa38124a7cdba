"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useSearchParams } from "next/navigation";
import { useEffect, useState, type FormEvent } from "react";
import { balanceQueryKey, useBalance } from "@/components/layout/balance-badge";
import { Alert } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { Field } from "@/components/ui/field";
import { TableHead } from "@/components/ui/table-head";
import { QueryStates } from "@/components/ui/query-states";
import { formatNumber, formatUsd } from "@/components/ui/format";
import { apiFetch } from "@/components/api/fetch-json";
import { microsToUsdInput, parseUsdToMicros } from "@/lib/money/format";
import type { getBilling } from "@/lib/billing/billing-overview";
import { Usd } from "@/components/ui/usd";
import { WalletHistory } from "./wallet-history";

type Billing = Awaited<ReturnType<typeof getBilling>>;
export const billingQueryKey = ["billing"] as const;

const PRESETS = [10_000_000, 50_000_000, 100_000_000];
const post = (url: string, body?: unknown) => apiFetch<{ url: string }>(url, { method: "POST", headers: { "content-type": "application/json" }, body: body === undefined ? undefined : JSON.stringify(body) });

/** Leaves for a Stripe-hosted page (Checkout, the portal). */
const go = (url: string) => window.location.assign(url);

/** Without Stripe: customers learn that they cannot pay here; only platform admins see how to set payments up. */
export function PaymentsUnavailable({ isAdmin }: { isAdmin: boolean }) {
  return (
    <Alert tone="info">
      {isAdmin ? (
        <>
          Payments are not configured on this server: set <code>STRIPE_SECRET_KEY</code> and <code>STRIPE_WEBHOOK_SECRET</code> (and run <code>npm run stripe:setup</code> for the plans&apos; prices) — see the README&apos;s Billing section. Everything else works, and admins can still grant credits.
        </>
      ) : (
        "Top-ups are not available on this deployment. Runs keep working with the credits you have; ask the platform's operator if you need more."
      )}
    </Alert>
  );
}

/** The billing page: plan, wallet and top-ups, auto top-up, invoices, and the wallet's history; `isAdmin` (a platform admin) also sees operator notes. */
export function BillingPanel({ isAdmin }: { isAdmin: boolean }) {
  const params = useSearchParams();
  const returning = params.get("checkout");
  const queryClient = useQueryClient();
  // The whole page (invoices come from Stripe) loads once; only the balance is watched.
  const billing = useQuery({ queryKey: billingQueryKey, queryFn: () => apiFetch<Billing>("/api/v1/billing") });
  // Back from Checkout, the webhook may land a moment later: the balance follows the workspace's live events.
  const available = useBalance().data;
  // When it changes (a top-up landed, a plan granted credits), the page and the history follow.
  const shown = billing.data?.balance.availableMicros;
  useEffect(() => {
    if (available === undefined || shown === undefined || available === shown) return;
    // Whichever read is older catches up; once both agree this stops.
    void queryClient.invalidateQueries({ queryKey: billingQueryKey });
    void queryClient.invalidateQueries({ queryKey: balanceQueryKey });
    void queryClient.invalidateQueries({ queryKey: ["/api/v1/billing/ledger"] });
  }, [available, shown, queryClient]);
  const checkout = useMutation({ mutationFn: (body: unknown) => post("/api/v1/billing/checkout", body), onSuccess: ({ url }) => go(url) });
  const portal = useMutation({ mutationFn: () => post("/api/v1/billing/portal"), onSuccess: ({ url }) => go(url) });

  return (
    <QueryStates query={billing} noun="billing">
      {(b) => (
        <div className="space-y-6">
          {!b.configured && <PaymentsUnavailable isAdmin={isAdmin} />}
          {returning === "success" && <Alert tone="success">Payment received. Your balance updates as soon as Stripe confirms it.</Alert>}
          {returning === "canceled" && <Alert tone="warning">Checkout was canceled; nothing was charged.</Alert>}
          {b.pastDue && (
            <Alert tone="error">
              A payment failed on {b.pastDue.since.slice(0, 10)}. Runs keep working until {b.pastDue.graceEndsAt.slice(0, 10)}; update your payment method with Manage billing.
            </Alert>
          )}
          {checkout.error && <Alert tone="error">{checkout.error.message}</Alert>}
          {portal.error && <Alert tone="error">{portal.error.message}</Alert>}

          <div className="grid gap-6 lg:grid-cols-3">
            <Card title="Credits" description="Runs are paid from these, to the micro-dollar.">
              <p className="text-3xl font-semibold tabular-nums">
                <Usd micros={b.balance.availableMicros} testId="billing-balance" />
              </p>
              {b.balance.heldMicros > 0 && <p className="text-sm text-slate-500">{formatUsd(b.balance.heldMicros)} held by running runs</p>}
              {b.configured && <TopUp billing={b} pending={checkout.isPending} onTopUp={(amountMicros) => checkout.mutate({ kind: "top_up", amountMicros })} />}
            </Card>
            <Card
              title="Plan"
              className="lg:col-span-2"
              description={`${b.plans.find((p) => p.current)?.name ?? b.plan.tier}${b.plan.subscriptionStatus ? ` · subscription ${b.plan.subscriptionStatus}` : ""} · ${b.plan.paymentMode === "METERED" ? "metered, billed monthly by Stripe" : "prepaid credits"}`}
              actions={
                b.configured && b.canManage ? (
                  <Button variant="secondary" pending={portal.isPending} onClick={() => portal.mutate()}>
                    Manage billing
                  </Button>
                ) : undefined
              }
            >
              <Plans billing={b} pending={checkout.isPending} onChoose={(tier) => checkout.mutate({ kind: "subscription", tier })} />
            </Card>
          </div>

          {b.configured && <AutoTopUp billing={b} />}
          <Invoices billing={b} />
          <Card title="Wallet history" description="Top-ups, included credits, run charges and refunds.">
            <WalletHistory />
          </Card>
        </div>
      )}
    </QueryStates>
  );
}

function TopUp({ billing, pending, onTopUp }: { billing: Billing; pending: boolean; onTopUp: (micros: number) => void }) {
  const [error, setError] = useState<string | null>(null);
  const disabled = !billing.canManage;
  function custom(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const micros = parseUsdToMicros(String(new FormData(e.currentTarget).get("amount") ?? ""));
    if (micros === null || micros < 5_000_000 || micros % 10_000 !== 0) return setError("Enter at least $5, in dollars and cents.");
    setError(null);
    onTopUp(micros);
  }
  return (
    <div className="mt-4 space-y-3">
      <div className="flex flex-wrap gap-2">
        {PRESETS.map((m) => (
          <Button key={m} variant="secondary" disabled={disabled || pending} onClick={() => onTopUp(m)}>
            Top up {formatUsd(m)}
          </Button>
        ))}
      </div>
      <form onSubmit={custom} className="flex items-end gap-2" noValidate>
        <Field label="Other amount (USD, min $5)" name="amount" inputMode="decimal" placeholder="25" error={error ?? undefined} disabled={disabled} className="flex-1" />
        <Button type="submit" disabled={disabled} pending={pending}>
          Top up
        </Button>
      </form>
      {!billing.canManage && <p className="text-xs text-slate-500">Only an owner can buy credits or change the plan.</p>}
    </div>
  );
}

/** A plan's price multiplier in words ("price × 1.30" meant nothing to customers). */
export const priceMultiplierHint = (bps: number) => `Runs cost ${(bps / 10_000).toFixed(2)} × the list price (your plan's price multiplier)`;

function Plans({ billing, pending, onChoose }: { billing: Billing; pending: boolean; onChoose: (tier: "basic" | "pro") => void }) {
  return (
    <ul className="grid gap-3 sm:grid-cols-2 xl:grid-cols-4">
      {billing.plans.map((p) => (
        <li key={p.code} className={`rounded-lg p-3 ring-1 ${p.current ? "bg-brand-50 ring-brand-300" : "ring-slate-200"}`} data-testid={`plan-${p.code}`}>
          <div className="flex items-center justify-between gap-2">
            <h3 className="font-semibold">{p.name}</h3>
            {p.current && <Badge tone="brand">Current plan</Badge>}
          </div>
          <p className="mt-1 text-lg font-semibold tabular-nums">{p.monthlyPriceMicros === null ? "Custom" : `${formatUsd(p.monthlyPriceMicros)}/mo`}</p>
          <ul className="mt-2 space-y-0.5 text-xs text-slate-600">
            <li>
              {p.includedCreditsMicros === null ? "Custom" : formatUsd(p.includedCreditsMicros)} credits {p.code === "free" ? "at sign-up" : "included monthly"}
            </li>
            <li>{formatNumber(p.requestsPerMinute)} requests/min · {formatNumber(p.runsPerHour)} runs/hour</li>
            <li>{formatNumber(p.concurrentRuns)} concurrent · {formatNumber(p.tokensPerDay)} tokens/day</li>
            <li>{priceMultiplierHint(p.priceMultiplierBps)}</li>
          </ul>
          {(p.code === "basic" || p.code === "pro") && !p.current && (
            <Button
              className="mt-3 w-full"
              variant="secondary"
              disabled={!billing.configured || !billing.canManage || !p.purchasable || billing.plan.hasSubscription || pending}
              title={billing.plan.hasSubscription ? "Change plans with Manage billing" : !p.purchasable ? "No Stripe price configured for this plan" : undefined}
              onClick={() => onChoose(p.code as "basic" | "pro")}
            >
              Choose {p.name}
            </Button>
          )}
        </li>
      ))}
    </ul>
  );
}

function AutoTopUp({ billing }: { billing: Billing }) {
  const queryClient = useQueryClient();
  const [error, setError] = useState<string | null>(null);
  const a = billing.autoTopUp;
  const save = useMutation({
    mutationFn: (autoTopUp: { thresholdMicros: number; amountMicros: number } | null) =>
      apiFetch<Billing>("/api/v1/billing", { method: "PATCH", headers: { "content-type": "application/json" }, body: JSON.stringify({ autoTopUp }) }),
    onSuccess: (b) => queryClient.setQueryData(billingQueryKey, b),
  });
  function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    const threshold = parseUsdToMicros(String(form.get("threshold") ?? ""));
    const amount = parseUsdToMicros(String(form.get("amount") ?? ""));
    if (threshold === null || amount === null || amount < 5_000_000) return setError("Enter a threshold and an amount of at least $5.");
    setError(null);
    save.mutate({ thresholdMicros: threshold, amountMicros: amount });
  }
  const last = a.last as { at: string; outcome?: string; reason?: string } | null;
  return (
    <Card title="Auto top-up" description="When a run leaves the balance under the threshold, your saved card is charged once — not once per run.">
      <form onSubmit={submit} className="flex flex-col gap-3 sm:flex-row sm:items-end" noValidate>
        <Field key={`t${a.thresholdMicros}`} label="When the balance is under (USD)" name="threshold" inputMode="decimal" defaultValue={a.thresholdMicros === null ? "" : microsToUsdInput(a.thresholdMicros)} disabled={!billing.canManage} />
        <Field key={`a${a.amountMicros}`} label="Add (USD)" name="amount" inputMode="decimal" defaultValue={a.amountMicros === null ? "" : microsToUsdInput(a.amountMicros)} disabled={!billing.canManage} />
        <Button type="submit" pending={save.isPending} disabled={!billing.canManage}>
          Save
        </Button>
        {a.thresholdMicros !== null && (
          <Button type="button" variant="ghost" disabled={!billing.canManage} onClick={() => save.mutate(null)}>
            Turn off
          </Button>
        )}
      </form>
      {(error || save.error) && <p className="mt-2 text-sm text-red-700" role="alert">{error ?? save.error?.message}</p>}
      <p className="mt-2 text-sm text-slate-600" data-testid="auto-top-up-status">
        {a.thresholdMicros === null ? "Off." : a.hasPaymentMethod ? `On${a.armed ? "" : " (charged; waits for the balance to recover)"}.` : "On, but no card is saved yet: make one top-up first."}
        {last && ` Last attempt ${last.at.slice(0, 16).replace("T", " ")} UTC: ${last.outcome}${last.reason ? ` (${last.reason})` : ""}.`}
      </p>
    </Card>
  );
}

function Invoices({ billing }: { billing: Billing }) {
  if (!billing.configured) return null;
  return (
    <Card title="Invoices" description="From Stripe: subscription invoices, with their PDFs.">
      {billing.invoicesError && <Alert tone="warning">{billing.invoicesError}</Alert>}
      {billing.invoices.length === 0 ? (
        <p className="text-sm text-slate-500">No invoices yet.</p>
      ) : (
        <div className="overflow-x-auto">
          <table className="w-full min-w-[32rem] text-left text-sm">
            <TableHead cellClassName="py-2 pr-4" columns={["Invoice", "Date", "Amount", "Status", { label: "Links", srOnly: true }]} />
            <tbody className="divide-y divide-slate-100">
              {billing.invoices.map((i) => (
                <tr key={i.id}>
                  <td className="py-2 pr-4 font-mono text-xs">{i.number ?? i.id}</td>
                  <td className="py-2 pr-4">{i.created.slice(0, 10)}</td>
                  <td className="py-2 pr-4 tabular-nums">{formatUsd(i.amountDueCents * 10_000)}</td>
                  <td className="py-2 pr-4">{i.status}</td>
                  <td className="space-x-3 py-2 text-right">
                    {i.hostedUrl && <a className="text-brand-700 underline" href={i.hostedUrl}>View</a>}
                    {i.pdfUrl && <a className="text-brand-700 underline" href={i.pdfUrl}>PDF</a>}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </Card>
  );
}
