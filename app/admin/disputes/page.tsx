import type { Metadata } from "next";
import { AdminDisputes } from "@/components/exchange/admin-disputes";
import { PageHeader } from "@/components/ui/page-header";
import { requireAdmin } from "@/lib/auth/current-principal";

export const metadata: Metadata = { title: "Disputes · Admin" };

export default async function Page() {
  await requireAdmin("/admin/disputes");
  return (
    <div className="space-y-6">
      <PageHeader title="Disputes">Exchange deliveries their buyers disputed, oldest first. Release the escrow to the provider, or refund the buyer in part or in full, with a reason both sides read.</PageHeader>
      <AdminDisputes />
    </div>
  );
}
