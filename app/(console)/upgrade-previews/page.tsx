import type { Metadata } from "next";
import Link from "next/link";
import { Card } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { countOf, timeAgo } from "@/components/ui/format";
import { PageHeader } from "@/components/ui/page-header";
import { Usd } from "@/components/ui/usd";
import { requirePrincipal } from "@/lib/auth/current-principal";
import { listUpgradePreviews } from "@/lib/packages/upgrade-preview";

export const metadata: Metadata = { title: "Upgrade previews" };

/** The workspace's upgrade previews, newest first (the 50 latest; the API pages further). */
export default async function UpgradePreviewsPage() {
  const principal = await requirePrincipal("/upgrade-previews");
  const { data } = await listUpgradePreviews(principal, { limit: 50 });
  return (
    <div className="space-y-6">
      <PageHeader title="Upgrade previews">Versions your workspace tried on its own inputs before moving to them. Start one from an agent&apos;s page: “Try another version”.</PageHeader>
      {data.length === 0 ? (
        <EmptyState title="No upgrade previews yet">
          <Link href="/agents" className="underline">
            Open an agent you use
          </Link>{" "}
          to try another of its versions on your inputs.
        </EmptyState>
      ) : (
        <Card>
          <ul className="divide-y divide-slate-100 text-sm">
            {data.map((p) => (
              <li key={p.id} className="flex flex-wrap items-center justify-between gap-x-4 gap-y-1 py-2">
                <Link href={`/upgrade-previews/${p.id}`} className="font-medium text-brand-700 underline">
                  {p.agent}: {p.from} → {p.to}
                </Link>
                <span className="text-slate-600">
                  {countOf(p.items.length, "input")} · {p.totals.to.succeeded} of {p.totals.to.runs} succeeded on {p.to} · <Usd micros={p.totals.to.priceMicros} /> · {timeAgo(p.createdAt)}
                </span>
              </li>
            ))}
          </ul>
        </Card>
      )}
    </div>
  );
}
