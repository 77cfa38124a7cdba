import type { Metadata } from "next";
import { forbidden, redirect } from "next/navigation";
import { NewPackageEditor } from "@/components/provider/version-panel";
import { Breadcrumb } from "@/components/ui/breadcrumb";
import { Card } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { requirePrincipal } from "@/lib/auth/current-principal";
import { can } from "@/lib/auth/permissions";
import { editorChoices } from "@/lib/packages/editor-choices";
import { getWorkspaceProvider } from "@/lib/providers/providers";

export const metadata: Metadata = { title: "New package" };

export default async function NewPackagePage() {
  const principal = await requirePrincipal("/provider/packages/new");
  if (!can(principal, "provider.manage")) forbidden();
  if (!(await getWorkspaceProvider(principal.workspace.id))) redirect("/provider"); // a provider profile comes first
  const { categories, models } = await editorChoices();
  return (
    <div className="space-y-6">
      <Breadcrumb parent={{ href: "/provider", label: "Provider" }} current="New package" />
      <PageHeader title="New package">Write the manifest of your package. It is saved as a draft; validate it, then submit it for review.</PageHeader>
      <Card title="Manifest">
        <NewPackageEditor categories={categories} models={models} />
      </Card>
    </div>
  );
}
