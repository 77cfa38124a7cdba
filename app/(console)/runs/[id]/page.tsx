import type { Metadata } from "next";
import { RunView } from "@/components/runs/run-view";
import { requirePrincipal } from "@/lib/auth/current-principal";
import { orNotFound } from "@/lib/http/or-not-found";
import { getRun } from "@/lib/runs/run-queries";

export const metadata: Metadata = { title: "Run" };

/** A run that ended this recently was most likely started from the page that opened it (a fast run ends before its page loads): not a replay. */
const JUST_ENDED_MS = 30_000;
const endedAWhileAgo = (finishedAt: string | null) => finishedAt !== null && Date.now() - Date.parse(finishedAt) > JUST_ENDED_MS;

export default async function RunPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const principal = await requirePrincipal(`/runs/${id}`);
  const run = await orNotFound(getRun(principal.workspace.id, id));
  return <RunView key={run.id} initial={run} replay={endedAWhileAgo(run.finishedAt)} />;
}
