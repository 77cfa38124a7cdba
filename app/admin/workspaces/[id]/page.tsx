import type { Metadata } from "next";
import { AdminWorkspaceDetail } from "@/components/admin/workspace-detail";
import { requireAdmin } from "@/lib/auth/current-principal";

export const metadata: Metadata = { title: "Workspace · Admin" };

export default async function Page({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  await requireAdmin(`/admin/workspaces/${id}`);
  return <AdminWorkspaceDetail id={id} />;
}
