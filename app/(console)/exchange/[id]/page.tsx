import type { Metadata } from "next";
import { WorkDetailView } from "@/components/exchange/work-detail";
import { Breadcrumb } from "@/components/ui/breadcrumb";
import { requirePrincipal } from "@/lib/auth/current-principal";
import { getWorkspaceProvider } from "@/lib/providers/providers";

export const metadata: Metadata = { title: "Work" };

/** One work: loaded and kept fresh in the browser (the API decides what the caller may see). */
export default async function WorkPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const principal = await requirePrincipal(`/exchange/${id}`);
  const provider = await getWorkspaceProvider(principal.workspace.id);
  return (
    <div className="space-y-6">
      <Breadcrumb parent={{ href: "/exchange", label: "Exchange" }} current="Work" />
      <WorkDetailView id={id} providerSlug={provider?.slug ?? null} />
    </div>
  );
}
