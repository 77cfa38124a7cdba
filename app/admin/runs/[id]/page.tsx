import type { Metadata } from "next";
import { AdminRunDetail } from "@/components/admin/runs";
import { requireAdmin } from "@/lib/auth/current-principal";

export const metadata: Metadata = { title: "Run · Admin" };

export default async function Page({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  await requireAdmin(`/admin/runs/${id}`);
  return <AdminRunDetail id={id} />;
}
