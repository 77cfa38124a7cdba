import type { Metadata } from "next";
import { Suspense } from "react";
import { AdminRuns } from "@/components/admin/runs";
import { PageHeader } from "@/components/ui/page-header";
import { requireAdmin } from "@/lib/auth/current-principal";

export const metadata: Metadata = { title: "Runs · Admin" };

export default async function Page() {
  await requireAdmin("/admin/runs");
  return (
    <div className="space-y-6">
      <PageHeader title="Runs">Every workspace&apos;s runs; open one for its transcript.</PageHeader>
      <Suspense>
        <AdminRuns />
      </Suspense>
    </div>
  );
}
