import type { Metadata } from "next";
import { Suspense } from "react";
import { AdminWorkspaces } from "@/components/admin/workspaces";
import { PageHeader } from "@/components/ui/page-header";
import { requireAdmin } from "@/lib/auth/current-principal";

export const metadata: Metadata = { title: "Workspaces · Admin" };

export default async function Page() {
  await requireAdmin("/admin/workspaces");
  return (
    <div className="space-y-6">
      <PageHeader title="Workspaces">Every workspace: open one to change its tier, cap, credits or suspend it.</PageHeader>
      <Suspense>
        <AdminWorkspaces />
      </Suspense>
    </div>
  );
}
