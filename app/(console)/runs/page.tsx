import type { Metadata } from "next";
import { Suspense } from "react";
import { RunsHistory } from "@/components/runs/runs-history";
import { requirePrincipal } from "@/lib/auth/current-principal";
import { db } from "@/lib/db/client";
import { PageHeader } from "@/components/ui/page-header";

export const metadata: Metadata = { title: "Runs" };

export default async function RunsPage() {
  const principal = await requirePrincipal("/runs");
  const packages = await db.agentPackage.findMany({ where: { status: { in: ["PUBLISHED", "SUSPENDED", "YANKED"] } }, distinct: ["slug"], orderBy: [{ slug: "asc" }, { createdAt: "desc" }], select: { slug: true, name: true } });
  return (
    <div className="space-y-6">
      <PageHeader title="Runs">Every run in {principal.workspace.name}, by members and API keys. Open one to replay its transcript.</PageHeader>
      <Suspense>
        <RunsHistory agents={packages} />
      </Suspense>
    </div>
  );
}
