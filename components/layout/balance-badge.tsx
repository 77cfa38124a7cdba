"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { formatUsd } from "@/components/ui/format";
import { apiFetch } from "@/lib/http/client-errors";

export const balanceQueryKey = ["balance"] as const;

/** The workspace's available credits in the header; refreshed when a run ends (see RunView) and on focus. */
export function BalanceBadge({ initialMicros }: { initialMicros: number }) {
  const { data: available } = useQuery({
    queryKey: balanceQueryKey,
    queryFn: async () => (await apiFetch<{ balance: { availableMicros: number } }>("/api/v1/me")).balance.availableMicros,
    initialData: initialMicros,
    staleTime: 10_000,
  });
  const low = available < 100_000; // under $0.10
  return (
    <Link
      href="/workspace"
      data-testid="balance"
      title="Available credits (balance minus what running runs hold)"
      className={`rounded-md px-2 py-1 text-sm font-medium tabular-nums ring-1 ring-inset ${low ? "bg-amber-50 text-amber-900 ring-amber-200" : "bg-slate-50 text-slate-700 ring-slate-200"}`}
    >
      <span className="sr-only">Available credits: </span>
      {formatUsd(available)}
    </Link>
  );
}
