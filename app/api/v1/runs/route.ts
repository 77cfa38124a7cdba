// POST /api/v1/runs — { agent, input, idempotencyKey?, stream? } (or an Idempotency-Key header):
//   201 with the QUEUED run; 200 with the original run when the key was seen before.
//   With "stream": true (or `Accept: text/event-stream`): 200 and the run's event stream in the
//   same response — the run's id in the Agora-Run-Id and Location headers and in a first `run`
//   event (the run as JSON, no `id:`), then exactly what GET /api/v1/runs/:id/events sends, so a
//   dropped stream resumes there with Last-Event-ID. A refusal before the run exists (400, 402,
//   429 — also a full stream cap) stays a JSON error; a replayed key streams the original run.
// GET /api/v1/runs — the workspace's runs, newest first: status, agent, from, to, cursor, limit
import { z } from "zod";
import { json, route } from "@/lib/http/route";
import { acceptRun } from "@/lib/runs/accept-run";
import { parseWith } from "@/lib/http/validate";
import { acceptsEventStream, runEventStream } from "@/lib/runs/event-stream";
import { listRuns } from "@/lib/runs/run-queries";
import { runExecutor } from "@/lib/runs/run-executor-instance";
import { runDetailSchema, runPageSchema } from "@/lib/runs/response-schemas";
import { createRunSchema, idempotencyKeySchema, listRunsQuerySchema } from "@/lib/runs/schemas";
import { acquireStreamSlot } from "@/lib/runs/stream-slots";

const postRunSchema = createRunSchema.extend({ stream: z.boolean().optional() });

const STREAM = "With `stream: true` or `Accept: text/event-stream`: 200 and the run's events (a first `run` event, then those of GET /api/v1/runs/{id}/events).";

export const POST = route(
  { permission: "runs.create", body: postRunSchema, response: runDetailSchema, status: 201, produces: { "text/event-stream": STREAM }, summary: "Start a run of an agent (201 with the queued run; 200 when the idempotency key was seen)." }, async ({ req, principal, body: { stream, ...body } }) => {
  const header = req.headers.get("idempotency-key");
  const headerKey = header === null ? undefined : parseWith(idempotencyKeySchema, header);
  // A stream takes its slot before the run exists: a full cap refuses with 429 and starts nothing.
  const release = (stream ?? acceptsEventStream(req.headers.get("accept"))) ? acquireStreamSlot(principal) : undefined;
  let accepted: Awaited<ReturnType<typeof acceptRun>>;
  try {
    accepted = await acceptRun(principal, body, { headerKey, executor: runExecutor() });
  } catch (err) {
    release?.();
    throw err;
  }
  const { run, created } = accepted;
  if (!release) return json(run, created ? 201 : 200);
  const response = runEventStream(run.id, { after: 0, signal: req.signal, release, first: { event: "run", data: run } });
  response.headers.set("agora-run-id", run.id);
  response.headers.set("location", `/api/v1/runs/${run.id}`);
  if (!created) response.headers.set("idempotent-replayed", "true");
  return response;
});

export const GET = route({ permission: "workspace.read", query: listRunsQuerySchema, response: runPageSchema, summary: "The workspace's runs, newest first." }, async ({ principal, query }) => listRuns(principal.workspace.id, query));
