import type { Metadata } from "next";
import { AdminPricing } from "@/components/admin/pricing";
import { PageHeader } from "@/components/ui/page-header";
import { requireAdmin } from "@/lib/auth/current-principal";

export const metadata: Metadata = { title: "Tiers and prices · Admin" };

export default async function Page() {
  await requireAdmin("/admin/pricing");
  return (
    <div className="space-y-6">
      <PageHeader title="Tiers and model prices">Effective for runs accepted after the change.</PageHeader>
      <AdminPricing />
    </div>
  );
}
