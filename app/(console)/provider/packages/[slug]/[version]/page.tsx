import type { Metadata } from "next";
import { forbidden } from "next/navigation";
import { VersionPanel } from "@/components/provider/version-panel";
import { Breadcrumb } from "@/components/ui/breadcrumb";
import { PageHeader } from "@/components/ui/page-header";
import { requirePrincipal } from "@/lib/auth/current-principal";
import { can } from "@/lib/auth/permissions";
import { orNotFound } from "@/lib/http/or-not-found";
import { editorChoices } from "@/lib/packages/editor-choices";
import { getProviderPackageVersion } from "@/lib/packages/package-versions";

type Params = { params: Promise<{ slug: string; version: string }> };

export async function generateMetadata({ params }: Params): Promise<Metadata> {
  const { slug, version } = await params;
  return { title: `${slug} ${version}` };
}

export default async function PackageVersionPage({ params }: Params) {
  const { slug, version } = await params;
  const principal = await requirePrincipal(`/provider/packages/${slug}/${version}`);
  if (!can(principal, "provider.manage")) forbidden();
  const [row, { categories, models }] = await Promise.all([orNotFound(getProviderPackageVersion(principal.workspace.id, slug, version)), editorChoices()]);
  return (
    <div className="space-y-6">
      <Breadcrumb parent={{ href: "/provider", label: "Provider" }} current={`${row.name} ${row.version}`} />
      <PageHeader title={row.name}>
        <span className="font-mono">{row.slug}</span> version {row.version}
      </PageHeader>
      <VersionPanel initial={row} categories={categories} models={models} />
    </div>
  );
}
