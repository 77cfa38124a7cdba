import type { Metadata } from "next";
import { AdminHealth } from "@/components/admin/health";
import { PageHeader } from "@/components/ui/page-header";
import { requireAdmin } from "@/lib/auth/current-principal";

export const metadata: Metadata = { title: "Health · Admin" };

export default async function Page() {
  await requireAdmin("/admin/health");
  return (
    <div className="space-y-6">
      <PageHeader title="Health">Refreshed every 10 seconds.</PageHeader>
      <AdminHealth />
    </div>
  );
}
