import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { RunView } from "@/components/runs/run-view";
import { requirePrincipal } from "@/lib/auth/current-principal";
import { ApiError } from "@/lib/http/errors";
import { getRun } from "@/lib/runs/run-queries";

export const metadata: Metadata = { title: "Run" };

export default async function RunPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const principal = await requirePrincipal(`/runs/${id}`);
  const run = await getRun(principal.workspace.id, id).catch((err: unknown) => {
    if (err instanceof ApiError && err.status === 404) notFound();
    throw err;
  });
  return <RunView key={run.id} initial={run} />;
}
