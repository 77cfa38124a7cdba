import type { Metadata } from "next";
import { AdminProviders } from "@/components/admin/providers";
import { PageHeader } from "@/components/ui/page-header";
import { requireAdmin } from "@/lib/auth/current-principal";

export const metadata: Metadata = { title: "Providers · Admin" };

export default async function Page() {
  await requireAdmin("/admin/providers");
  return (
    <div className="space-y-6">
      <PageHeader title="Providers">Every publisher on Agora. Verify one once you have checked who they are.</PageHeader>
      <AdminProviders />
    </div>
  );
}
