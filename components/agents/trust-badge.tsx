import type { TrustView } from "@/lib/packages/trust";
import { cn } from "@/components/ui/cn";

// A package's or provider's trust score (lib/packages/trust.ts) as one line:
// "Trust 96 % (91–99 %)", or "New — not enough runs yet" (never 0 or 100 %).

const pct = (x: number) => `${Math.round(x * 100)} %`;

export function trustLabel(t: TrustView): string {
  if (t.isNew || t.score === null) return "New — not enough runs yet";
  return `Trust ${pct(t.score)} (${Math.round(t.low * 100)}–${pct(t.high)})`;
}

export function TrustBadge({ trust, className }: { trust: TrustView; className?: string }) {
  return (
    <p className={cn("text-xs text-slate-600", className)} data-testid="trust-label" title="Settled outcomes of the last 90 days, weighted by money and recency, one voice per buying workspace; only provider-caused failures count against. The range is a 95 % confidence band.">
      <span className={cn("font-semibold", trust.isNew ? "text-slate-700" : "text-emerald-700")}>{trustLabel(trust)}</span>
    </p>
  );
}
