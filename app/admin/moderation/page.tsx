import type { Metadata } from "next";
import { AdminModeration } from "@/components/admin/moderation";
import { PageHeader } from "@/components/ui/page-header";
import { requireAdmin } from "@/lib/auth/current-principal";

export const metadata: Metadata = { title: "Moderation · Admin" };

export default async function Page() {
  await requireAdmin("/admin/moderation");
  return (
    <div className="space-y-6">
      <PageHeader title="Moderation">Package reviews other workspaces reported, oldest first. Keep a review, or hide it: a hidden review is no longer shown or counted in the rating.</PageHeader>
      <AdminModeration />
    </div>
  );
}
