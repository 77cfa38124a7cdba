import type { Metadata } from "next";
import { AdminOverview } from "@/components/admin/overview";
import { PageHeader } from "@/components/ui/page-header";
import { requireAdmin } from "@/lib/auth/current-principal";

export const metadata: Metadata = { title: "Admin" };

export default async function Page() {
  await requireAdmin("/admin");
  return (
    <div className="space-y-6">
      <PageHeader title="Overview">Runs, revenue and health of the platform.</PageHeader>
      <AdminOverview />
    </div>
  );
}
