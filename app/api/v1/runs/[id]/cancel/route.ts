// POST /api/v1/runs/:id/cancel — 202: a QUEUED run ends CANCELED now, a RUNNING
// one as soon as its executor sees the request (watch the events stream)
import { idParams } from "@/lib/http/params";
import { json, route } from "@/lib/http/route";
import { cancelRun } from "@/lib/runs/cancel-run";
import { runDetailSchema } from "@/lib/runs/response-schemas";
import { getRun } from "@/lib/runs/run-queries";
import { runExecutor } from "@/lib/runs/run-executor-instance";

export const POST = route({ permission: "runs.cancel", params: idParams, response: runDetailSchema, status: 202, summary: "Cancel a run (202 with the run; a running one ends as soon as its executor sees it)." }, async ({ principal, params }) => {
  await cancelRun(principal.workspace.id, params.id, runExecutor());
  return json(await getRun(principal.workspace.id, params.id), 202);
});
