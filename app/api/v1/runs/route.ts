// POST /api/v1/runs — { agent, input, idempotencyKey? } (or an Idempotency-Key header):
//   201 with the QUEUED run; 200 with the original run when the key was seen before
// GET /api/v1/runs — the workspace's runs, newest first: status, agent, from, to, cursor, limit
import { json, route } from "@/lib/http/route";
import { acceptRun } from "@/lib/runs/accept-run";
import { parseWith } from "@/lib/http/validate";
import { listRuns } from "@/lib/runs/run-queries";
import { runExecutor } from "@/lib/runs/run-executor-instance";
import { createRunSchema, idempotencyKeySchema, listRunsQuerySchema } from "@/lib/runs/schemas";

export const POST = route({ permission: "runs.create", body: createRunSchema }, async ({ req, principal, body }) => {
  const header = req.headers.get("idempotency-key");
  const headerKey = header === null ? undefined : parseWith(idempotencyKeySchema, header);
  const { run, created } = await acceptRun(principal, body, { headerKey, executor: runExecutor() });
  return json(run, created ? 201 : 200);
});

export const GET = route({ permission: "workspace.read", query: listRunsQuerySchema }, async ({ principal, query }) => listRuns(principal.workspace.id, query));
