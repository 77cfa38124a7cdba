import type { Metadata } from "next";
import { Suspense } from "react";
import { AdminUsers } from "@/components/admin/users";
import { PageHeader } from "@/components/ui/page-header";
import { requireAdmin } from "@/lib/auth/current-principal";

export const metadata: Metadata = { title: "Users · Admin" };

export default async function Page() {
  const admin = await requireAdmin("/admin/users");
  return (
    <div className="space-y-6">
      <PageHeader title="Users">Disable or enable accounts, grant or revoke admin.</PageHeader>
      <Suspense>
        <AdminUsers selfId={admin.userId} />
      </Suspense>
    </div>
  );
}
