import { NextRequest } from "next/server";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import * as eventsRoute from "@/app/api/v1/runs/[id]/events/route";
import * as runsRoute from "@/app/api/v1/runs/route";
import { createApiKey } from "@/lib/api-keys/api-keys";
import { getDb } from "@/lib/db/client";
import { env } from "@/lib/env";
import { startRunWorker } from "@/lib/runs/run-executor-instance";
import { createUser } from "../helpers/factories";
import { scannerInput, workspaceSettled } from "../helpers/run-harness";
import { readSse, type SseEvent } from "../helpers/sse";

// A run in one request: POST /api/v1/runs with "stream": true (or Accept:
// text/event-stream) answers with the run's event stream — the same events and
// ids as GET /api/v1/runs/:id/events, which resumes a dropped stream.

let auth: Record<string, string>;
let workspaceId: string;
beforeAll(async () => {
  const { principal, workspace } = await createUser("runs-stream", { tier: "enterprise" });
  auth = { authorization: `Bearer ${(await createApiKey(principal, { name: "stream" })).secret}` };
  workspaceId = workspace.id;
  await startRunWorker("all");
});
const saved = env().AGORA_MAX_STREAMS_PER_KEY;
afterEach(() => Object.assign(env(), { AGORA_MAX_STREAMS_PER_KEY: saved }));

function post(body: Record<string, unknown>, headers: Record<string, string> = {}, signal?: AbortSignal) {
  const req = new NextRequest("http://127.0.0.1:3999/api/v1/runs", { method: "POST", body: JSON.stringify(body), headers: { ...auth, "content-type": "application/json", ...headers }, signal });
  return runsRoute.POST(req, { params: Promise.resolve({}) });
}
function getEvents(id: string, headers: Record<string, string> = {}) {
  return eventsRoute.GET(new NextRequest(`http://127.0.0.1:3999/api/v1/runs/${id}/events`, { headers: { ...auth, ...headers } }), { params: Promise.resolve({ id }) });
}
const run = { agent: "security-scanner", input: scannerInput };
/** The run's own events as a client sees them: id, type and payload. */
const log = (events: SseEvent[]) => events.filter((e) => e.event !== "run").map((e) => ({ id: e.id, event: e.event, data: e.data }));

/** A streamed POST's response: its run id (header and first event agree) and every event to the stream's end. */
async function streamed(res: Response) {
  expect(res.status).toBe(200);
  expect(res.headers.get("content-type")).toMatch(/^text\/event-stream/);
  const id = res.headers.get("agora-run-id")!;
  expect(res.headers.get("location")).toBe(`/api/v1/runs/${id}`);
  const events = await readSse(res);
  expect(events[0]).toMatchObject({ event: "run", data: { id, agent: "security-scanner" } });
  return { id, events };
}

describe("POST /api/v1/runs streamed", () => {
  it('"stream": true: the run id first, then QUEUED … usage with the ids GET …/events sends, and the stream ends', async () => {
    const { id, events } = await streamed(await post({ ...run, stream: true }));
    const own = log(events);
    expect(own[0]).toMatchObject({ id: 1, event: "status", data: { seq: 1, data: { status: "QUEUED" } } });
    expect(own.map((e) => e.id)).toEqual(own.map((_, i) => i + 1));
    expect(own.at(-1)!.event).toBe("usage");
    expect(own.some((e) => e.event === "status" && e.data.data.status === "SUCCEEDED")).toBe(true);
    expect(log(await readSse(await getEvents(id)))).toEqual(own);
    await workspaceSettled(workspaceId);
  });

  it("Accept: text/event-stream streams the same way; q=0 and \"stream\": false answer JSON", async () => {
    const { events } = await streamed(await post(run, { accept: "application/json;q=0.5, text/event-stream" }));
    expect(log(events).at(-1)!.event).toBe("usage");
    const refused = await post(run, { accept: "text/event-stream;q=0, application/json" });
    expect([refused.status, refused.headers.get("content-type")]).toEqual([201, "application/json"]);
    const plain = await post({ ...run, stream: false }, { accept: "text/event-stream" });
    expect(plain.status).toBe(201);
    expect(((await plain.json()) as { status: string }).status).toMatch(/^(QUEUED|RUNNING|SUCCEEDED)$/);
    await workspaceSettled(workspaceId);
  });

  it("a replayed idempotency key streams the original run, and starts no other", async () => {
    const key = `stream-${Date.now()}`;
    const first = await post({ ...run, idempotencyKey: key });
    expect(first.status).toBe(201);
    const { id: runId } = (await first.json()) as { id: string };
    const again = await post({ ...run, stream: true }, { "idempotency-key": key });
    expect(again.headers.get("idempotent-replayed")).toBe("true");
    const { id, events } = await streamed(again);
    expect(id).toBe(runId);
    expect(log(events).at(-1)!.event).toBe("usage");
    expect(await getDb().run.count({ where: { workspaceId, idempotencyKey: key } })).toBe(1);
  });

  it("a refusal before the run exists stays a JSON error with its status, and writes nothing", async () => {
    const before = await getDb().run.count({ where: { workspaceId } });
    const invalid = await post({ agent: "security-scanner", input: { files: [{ path: "", content: 42 }] }, stream: true });
    expect([invalid.status, invalid.headers.get("content-type")]).toEqual([400, "application/json"]);
    expect(((await invalid.json()) as { error: { code: string } }).error.code).toBe("validation_failed");
    const badFlag = await post({ ...run, stream: "yes" });
    expect(badFlag.status).toBe(400);
    expect(((await badFlag.json()) as { error: { details: { issues: { path: string }[] } } }).error.details.issues[0]!.path).toBe("stream");
    const unknown = await post({ agent: "no-such-agent", input: {} }, { accept: "text/event-stream" });
    expect([unknown.status, unknown.headers.get("content-type")]).toEqual([404, "application/json"]);

    // The key's stream cap is full: 429 naming it, before any run is accepted (a JSON POST is not a stream).
    Object.assign(env(), { AGORA_MAX_STREAMS_PER_KEY: 0 });
    const capped = await post({ ...run, stream: true });
    expect(capped.status).toBe(429);
    expect(((await capped.json()) as { error: { code: string; details: { dimension: string } } }).error).toMatchObject({ code: "rate_limited", details: { dimension: "concurrent_streams" } });
    expect(await getDb().run.count({ where: { workspaceId } })).toBe(before);
    expect((await post(run)).status).toBe(201);
    await workspaceSettled(workspaceId);
  });

  it("a failed accept gives its stream slot back", async () => {
    Object.assign(env(), { AGORA_MAX_STREAMS_PER_KEY: 1 });
    for (let i = 0; i < 3; i++) expect((await post({ agent: "no-such-agent", input: {}, stream: true })).status).toBe(404);
    const { events } = await streamed(await post({ ...run, stream: true }));
    expect(log(events).at(-1)!.event).toBe("usage");
  });

  it("a dropped stream resumes on GET …/events after its Last-Event-ID, with nothing lost or repeated", async () => {
    const abort = new AbortController();
    const res = await post({ ...run, stream: true }, {}, abort.signal);
    const id = res.headers.get("agora-run-id")!;
    // Read the run event and the first of the run's own, then drop the connection.
    const seen = log(await readSse(res, (e) => e.event === "status"));
    abort.abort();
    expect(seen).toHaveLength(1);
    const rest = log(await readSse(await getEvents(id, { "last-event-id": String(seen.at(-1)!.id) })));
    expect(rest[0]!.id).toBe(seen.at(-1)!.id + 1);
    expect(rest.at(-1)!.event).toBe("usage");
    expect([...seen, ...rest]).toEqual(log(await readSse(await getEvents(id))));
    await workspaceSettled(workspaceId);
  });
});
