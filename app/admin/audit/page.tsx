import type { Metadata } from "next";
import { Suspense } from "react";
import { AdminAudit } from "@/components/admin/audit";
import { PageHeader } from "@/components/ui/page-header";
import { requireAdmin } from "@/lib/auth/current-principal";

export const metadata: Metadata = { title: "Audit log · Admin" };

export default async function Page() {
  await requireAdmin("/admin/audit");
  return (
    <div className="space-y-6">
      <PageHeader title="Audit log">Every admin action, key and membership change, tier change, credit grant and failed sign-in.</PageHeader>
      <Suspense>
        <AdminAudit />
      </Suspense>
    </div>
  );
}
