"use client";

import { useMutation, useQuery } from "@tanstack/react-query";
import { apiFetch } from "@/components/api/fetch-json";
import { StackedDaily } from "@/components/usage/usage-charts";
import { Alert } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { LoadMore } from "@/components/ui/load-more";
import { QueryStates } from "@/components/ui/query-states";
import { Usd } from "@/components/ui/usd";
import { useCursorList } from "@/components/ui/use-url-filters";
import type { ProviderEarnings, ProviderPayout } from "@/lib/payouts/dashboard";

// The money half of /provider (issue 19): earnings by state and week, Stripe
// Connect payouts (onboarding, the Express dashboard, a bank's refusal), and
// the payouts list with the runs each paid.

const SERIES = [
  { key: "pendingMicros", label: "Pending", color: "#ca8a04" },
  { key: "maturedMicros", label: "Matured", color: "#4f46e5" },
  { key: "paidMicros", label: "Paid", color: "#16a34a" },
];

const STATUS_TONE = { PENDING: "warning", SENT: "success", FAILED: "danger", REVERSED: "danger", PARTIALLY_REVERSED: "warning" } as const;
const STATUS_LABEL = { PENDING: "Sending", SENT: "Paid", FAILED: "Failed", REVERSED: "Reversed", PARTIALLY_REVERSED: "Partly reversed" } as const;

/** POSTs to a route answering { url } and goes there (Stripe's hosted pages). */
function useGoTo(path: string) {
  return useMutation({
    mutationFn: () => apiFetch<{ url: string }>(path, { method: "POST" }),
    onSuccess: ({ url }) => window.location.assign(url),
  });
}

function ConnectStatus({ connect }: { connect: ProviderEarnings["connect"] }) {
  const onboard = useGoTo("/api/v1/provider/connect");
  const dashboard = useGoTo("/api/v1/provider/connect/dashboard");
  const failure = onboard.error ?? dashboard.error;
  return (
    <div className="space-y-3" data-testid="connect-status">
      {connect.transfersActive ? (
        <p className="text-sm text-slate-700">
          <Badge tone="success">Payouts active</Badge> Your matured earnings are paid to your Stripe account every Monday (from <Usd micros={connect.payoutMinimumMicros} />).
        </p>
      ) : (
        <p className="text-sm text-slate-700">
          <Badge tone="warning">{connect.onboarded ? "Setup incomplete" : "Not set up"}</Badge> Set up payouts with Stripe to receive your earnings.
          {connect.currentlyDue.length > 0 && connect.onboarded && ` Stripe still needs ${connect.currentlyDue.length} detail${connect.currentlyDue.length === 1 ? "" : "s"} from you.`}
        </p>
      )}
      {connect.bankPayoutFailure && (
        <Alert tone="error">
          Your bank refused a payout from Stripe{connect.bankPayoutFailure.at ? ` on ${new Date(connect.bankPayoutFailure.at).toLocaleDateString()}` : ""}: {connect.bankPayoutFailure.message} Update your bank details in your Stripe dashboard.
        </Alert>
      )}
      {failure && <Alert tone="error">{failure.message}</Alert>}
      <div className="flex flex-wrap gap-2">
        {!connect.transfersActive && (
          <Button pending={onboard.isPending} onClick={() => onboard.mutate()}>
            {connect.onboarded ? "Continue Stripe setup" : "Set up payouts"}
          </Button>
        )}
        {connect.onboarded && (
          <Button variant="secondary" pending={dashboard.isPending} onClick={() => dashboard.mutate()}>
            Open Stripe dashboard
          </Button>
        )}
      </div>
    </div>
  );
}

function Payouts({ minimumMicros }: { minimumMicros: number }) {
  const { query, items } = useCursorList<{ data: ProviderPayout[]; nextCursor: string | null }>("/api/v1/provider/payouts", {});
  return (
    <QueryStates query={{ ...query, data: query.data ? items : undefined }} noun="payouts" isEmpty={items.length === 0} empty={<EmptyState title="No payouts yet">
            Payouts go out weekly once your matured earnings reach <Usd micros={minimumMicros} />.
          </EmptyState>}>
      {(payouts) => (
        <div className="space-y-3">
          <ul className="divide-y divide-slate-100 text-sm" data-testid="payouts">
            {payouts.map((p) => (
              <li key={p.id} className="space-y-1 py-3">
                <div className="flex flex-wrap items-center justify-between gap-2">
                  <span className="flex items-center gap-2">
                    <span className="font-medium">{p.period}</span>
                    <Badge tone={STATUS_TONE[p.status]}>{STATUS_LABEL[p.status]}</Badge>
                  </span>
                  <Usd micros={p.amountMicros} exact className="tabular-nums" />
                </div>
                {p.failureMessage && <p className="text-red-700">Stripe refused the transfer: {p.failureMessage} The money is back in your matured earnings.</p>}
                {p.reversalReason && (
                  <p className="text-amber-800">
                    <Usd micros={p.reversedMicros} exact /> reversed: {p.reversalReason}. It is back in your matured earnings.
                  </p>
                )}
                <details>
                  <summary className="cursor-pointer text-slate-600">
                    {p.runCount} run{p.runCount === 1 ? "" : "s"}
                  </summary>
                  <ul className="mt-1 flex flex-wrap gap-x-3 gap-y-1">
                    {p.runs.map((r) => (
                      <li key={r.runId}>
                        {/* The consumer's run page is theirs: the provider's own list of the run is on this page. */}
                        <a href={`#run-${r.runId}`} className="text-brand-700 underline" title={`Run ${r.runId}`}>
                          {r.runId.slice(0, 10)}…
                        </a>{" "}
                        <Usd micros={r.amountMicros} exact className="text-slate-500" />
                      </li>
                    ))}
                    {p.runCount > p.runs.length && <li className="text-slate-500">and {p.runCount - p.runs.length} more</li>}
                  </ul>
                </details>
              </li>
            ))}
          </ul>
          <LoadMore query={query} />
        </div>
      )}
    </QueryStates>
  );
}

/** Earnings, payouts and Stripe Connect for the workspace owner of a provider. */
export function ProviderMoney() {
  const earnings = useQuery({ queryKey: ["provider-earnings"], queryFn: () => apiFetch<ProviderEarnings>("/api/v1/provider/earnings") });
  return (
    <div id="payouts" className="space-y-6">
      <Card title="Earnings" description={`Your share of your packages' runs: pending for ${earnings.data?.connect.maturityDays ?? 7} days after each run, then matured (payable), then paid.`}>
        <QueryStates query={earnings} noun="earnings">
          {(e) => (
            <div className="space-y-4">
              <dl className="grid grid-cols-2 gap-3 text-sm sm:grid-cols-4" data-testid="earnings-balances">
                {(
                  [
                    ["Pending", e.balances.pendingMicros],
                    ["Matured", e.balances.maturedMicros],
                    ["In a payout", e.balances.inPayoutMicros],
                    ["Paid", e.balances.paidMicros],
                  ] as const
                ).map(([label, micros]) => (
                  <div key={label} className="rounded-md bg-slate-50 p-3">
                    <dt className="text-slate-500">{label}</dt>
                    <dd className="text-base font-semibold tabular-nums">
                      <Usd micros={micros} exact />
                    </dd>
                  </div>
                ))}
              </dl>
              {e.weeks.length === 0 ? (
                <EmptyState title="No earnings yet">When your packages run, your share shows here by week.</EmptyState>
              ) : (
                <StackedDaily label="Earnings by week" money series={SERIES} data={e.weeks.map(({ week, ...w }) => ({ day: week, ...w }))} />
              )}
            </div>
          )}
        </QueryStates>
      </Card>
      <Card title="Payouts" description="Weekly transfers of your matured earnings to your Stripe account.">
        <div className="space-y-4">
          <QueryStates query={earnings} noun="payout setup">
            {(e) => (
              <>
                <ConnectStatus connect={e.connect} />
                <Payouts minimumMicros={e.connect.payoutMinimumMicros} />
              </>
            )}
          </QueryStates>
        </div>
      </Card>
    </div>
  );
}
