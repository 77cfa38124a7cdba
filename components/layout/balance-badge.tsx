"use client";

import { useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useEventStream } from "@/components/events/event-stream";
import { formatUsd, formatUsdExact } from "@/components/ui/format";
import { apiFetch } from "@/components/api/fetch-json";

export const balanceQueryKey = ["balance"] as const;

/** Under this much available credit ($0.50) the header warns: most runs would be refused. */
export const LOW_BALANCE_MICROS = 500_000;

/** The workspace's available credits (micro-USD): live from the workspace's `balance.changed` events (no polling), and re-read on focus. */
export function useBalance(initialMicros?: number) {
  const queryClient = useQueryClient();
  useEventStream((event) => {
    const available = event.data.availableMicros;
    if (typeof available === "number") queryClient.setQueryData(balanceQueryKey, available);
  }, BALANCE_EVENTS);
  return useQuery({
    queryKey: balanceQueryKey,
    queryFn: async () => (await apiFetch<{ balance: { availableMicros: number } }>("/api/v1/me")).balance.availableMicros,
    initialData: initialMicros,
    staleTime: 10_000,
  });
}

const BALANCE_EVENTS = ["balance.changed"] as const;

export function BalanceBadge({ initialMicros }: { initialMicros: number }) {
  const available = useBalance(initialMicros).data ?? initialMicros;
  const low = available < LOW_BALANCE_MICROS;
  return (
    <Link
      href="/billing"
      data-testid="balance"
      title={`Available credits: ${formatUsdExact(available)} (balance minus what running runs hold)`}
      className={`rounded-md px-2 py-1 text-sm font-medium tabular-nums ring-1 ring-inset ${low ? "bg-amber-50 text-amber-900 ring-amber-200" : "bg-slate-50 text-slate-700 ring-slate-200"}`}
    >
      <span className="sr-only">Available credits: </span>
      {formatUsd(available)}
    </Link>
  );
}

/** Shown under the header while the balance is low, on every console page; "Top up" only where payments are configured (`canTopUp`). */
export function LowBalanceBanner({ initialMicros, canTopUp }: { initialMicros: number; canTopUp: boolean }) {
  const available = useBalance(initialMicros).data ?? initialMicros;
  if (available >= LOW_BALANCE_MICROS) return null;
  return (
    <div role="status" data-testid="low-balance" className="border-b border-amber-200 bg-amber-50 px-4 py-2 text-center text-sm text-amber-900">
      Your workspace has <strong className="tabular-nums">{formatUsd(available)}</strong> of credits left; runs that may cost more are refused with what they need.{" "}
      {canTopUp && (
        <>
          <Link href="/billing" className="font-medium underline">
            Top up
          </Link>
          {" · "}
        </>
      )}
      <Link href="/usage" className="font-medium underline">
        Usage and burn rate
      </Link>
    </div>
  );
}
