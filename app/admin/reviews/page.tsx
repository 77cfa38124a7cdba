import type { Metadata } from "next";
import { AdminReviews } from "@/components/admin/reviews";
import { PageHeader } from "@/components/ui/page-header";
import { requireAdmin } from "@/lib/auth/current-principal";

export const metadata: Metadata = { title: "Reviews · Admin" };

export default async function Page() {
  await requireAdmin("/admin/reviews");
  return (
    <div className="space-y-6">
      <PageHeader title="Reviews">Package versions providers submitted, oldest first. Approve to publish one; reject with a reason the provider will read.</PageHeader>
      <AdminReviews />
    </div>
  );
}
