import type { Metadata } from "next";
import { AdminPackages } from "@/components/admin/packages";
import { PageHeader } from "@/components/ui/page-header";
import { requireAdmin } from "@/lib/auth/current-principal";

export const metadata: Metadata = { title: "Packages · Admin" };

export default async function Page() {
  await requireAdmin("/admin/packages");
  return (
    <div className="space-y-6">
      <PageHeader title="Packages">Every package version: price, model, status, and how it sells.</PageHeader>
      <AdminPackages />
    </div>
  );
}
