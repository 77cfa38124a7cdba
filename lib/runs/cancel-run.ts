import { db } from "@/lib/db/client";
import { ApiError } from "@/lib/http/errors";
import { emptyUsage } from "@/lib/llm/provider";
import type { RunExecutor } from "./executor";
import { finishRun } from "./finish-run";
import { runNotifications } from "./run-notifications";

/**
 * Cancels a run of the caller's workspace. A QUEUED run ends CANCELED here;
 * a RUNNING one is flagged and its executor — in this process or another,
 * reached by a signal (NOTIFY, or Redis pub/sub) or at its next lease
 * renewal — stops it and ends it CANCELED with the tokens consumed so far.
 */
export async function cancelRun(workspaceId: string, runId: string, executor: RunExecutor): Promise<void> {
  const run = await db.run.findFirst({ where: { id: runId, workspaceId }, select: { id: true, workspaceId: true, apiKeyId: true, agentSlug: true, packageId: true, model: true, status: true } });
  if (!run) throw new ApiError("not_found", "No such run in this workspace.");
  if (run.status !== "QUEUED" && run.status !== "RUNNING") throw new ApiError("run_finished", `The run already ended (${run.status}).`);

  if (run.status === "QUEUED") {
    const ended = await finishRun(db, run, { status: "CANCELED", error: { code: "canceled", message: "The run was canceled.", cause: "canceled" }, usage: emptyUsage() }, { from: ["QUEUED"] });
    if (ended) return;
  }
  const flagged = await db.run.updateMany({ where: { id: run.id, status: { in: ["QUEUED", "RUNNING"] } }, data: { cancelRequestedAt: new Date() } });
  if (flagged.count === 0) return; // it ended meanwhile
  if (!executor.cancelLocal(run.id)) await runNotifications().requestCancel(run.id);
}
