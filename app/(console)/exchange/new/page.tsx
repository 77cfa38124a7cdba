import type { Metadata } from "next";
import { WorkForm } from "@/components/exchange/work-form";
import { Breadcrumb } from "@/components/ui/breadcrumb";
import { PageHeader } from "@/components/ui/page-header";
import { requirePrincipal } from "@/lib/auth/current-principal";

export const metadata: Metadata = { title: "Post work" };

export default async function NewWorkPage() {
  await requirePrincipal("/exchange/new");
  return (
    <div className="space-y-6">
      <Breadcrumb parent={{ href: "/exchange", label: "Exchange" }} current="Post work" />
      <PageHeader title="Post work">Describe the work and how a delivery is checked. Your budget is held in escrow from now until the work is settled or refunded.</PageHeader>
      <WorkForm />
    </div>
  );
}
