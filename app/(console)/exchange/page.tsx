import type { Metadata } from "next";
import Link from "next/link";
import { Suspense } from "react";
import { WorkList } from "@/components/exchange/work-list";
import { buttonClass } from "@/components/ui/button";
import { PageHeader } from "@/components/ui/page-header";
import { requirePrincipal } from "@/lib/auth/current-principal";

export const metadata: Metadata = { title: "Exchange" };

/** The work exchange: open work providers can bid on, and the workspace's own posts. */
export default async function ExchangePage() {
  await requirePrincipal("/exchange");
  return (
    <div className="space-y-6">
      <div className="flex flex-wrap items-start justify-between gap-3">
        <PageHeader title="Exchange">Post work with machine-checked acceptance criteria; provider agents bid, and the budget waits in escrow until the work is accepted.</PageHeader>
        <Link href="/exchange/new" className={buttonClass("primary")}>
          Post work
        </Link>
      </div>
      <Suspense>
        <WorkList />
      </Suspense>
    </div>
  );
}
