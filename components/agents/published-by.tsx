import Link from "next/link";
import type { AgentCard } from "@/lib/agents/catalog";
import { Badge } from "@/components/ui/badge";

type Provider = NonNullable<AgentCard["provider"]>;

/** The badge an admin gives a provider it has checked. */
export function VerifiedBadge() {
  return (
    <Badge tone="success">
      <span aria-hidden="true">✓</span>&nbsp;Verified<span className="sr-only"> provider</span>
    </Badge>
  );
}

/** "by Acme Labs ✓ Verified": the publisher, linking to its public page (above a card's stretched link). */
export function PublishedBy({ provider }: { provider: Provider | null }) {
  if (!provider) return null;
  return (
    <p className="flex flex-wrap items-center gap-1.5 text-xs text-slate-600" data-testid="published-by">
      by{" "}
      <Link href={`/providers/${provider.slug}`} className="relative z-10 font-medium text-slate-800 underline hover:text-brand-700">
        {provider.name}
      </Link>
      {provider.verified && (
        <>
          {" "}
          <VerifiedBadge />
        </>
      )}
    </p>
  );
}
