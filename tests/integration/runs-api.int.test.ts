import { NextRequest } from "next/server";
import { beforeAll, describe, expect, it } from "vitest";
import * as agentRoute from "@/app/api/v1/agents/[slug]/route";
import * as agentsRoute from "@/app/api/v1/agents/route";
import * as cancelRoute from "@/app/api/v1/runs/[id]/cancel/route";
import * as eventsRoute from "@/app/api/v1/runs/[id]/events/route";
import * as runRoute from "@/app/api/v1/runs/[id]/route";
import * as runsRoute from "@/app/api/v1/runs/route";
import { builtInPackages } from "@/lib/agents/registry";
import { createApiKey } from "@/lib/api-keys/api-keys";
import { getDb } from "@/lib/db/client";
import { startRunWorker } from "@/lib/runs/run-executor-instance";
import { callRoute, sessionCookie } from "../helpers/call-route";
import { createUser } from "../helpers/factories";
import { scannerInput, workspaceSettled } from "../helpers/run-harness";
import { readSse } from "../helpers/sse";

// The runs API end to end in-process: real route handlers, the process's own
// run worker on the job engine (offline model: no ANTHROPIC_API_KEY in tests), real PostgreSQL.

let auth: Record<string, string>;
let workspaceId: string;
beforeAll(async () => {
  const { principal, workspace } = await createUser("runs-api", { tier: "enterprise" });
  const key = await createApiKey(principal, { name: "runs" });
  auth = { authorization: `Bearer ${key.secret}` };
  workspaceId = workspace.id;
  await startRunWorker("all");
});

const createRun = (body: unknown, headers: Record<string, string> = {}) =>
  callRoute(runsRoute.POST, { method: "POST", path: "/api/v1/runs", body: JSON.stringify(body), headers: { ...auth, ...headers } });

function eventsRequest(id: string, headers: Record<string, string> = {}) {
  const req = new NextRequest(`http://127.0.0.1:3999/api/v1/runs/${id}/events`, { headers: { ...auth, ...headers } });
  return eventsRoute.GET(req, { params: Promise.resolve({ id }) });
}

describe("POST /api/v1/runs", () => {
  it("accepts a run (201, QUEUED) which the offline model completes with real findings", async () => {
    const res = await createRun({ agent: "security-scanner", input: scannerInput });
    expect(res.status).toBe(201);
    // The response shows the run as it is when answered: accepted QUEUED, the executor may already have started.
    expect(res.body).toMatchObject({ agent: "security-scanner", status: expect.stringMatching(/^(QUEUED|RUNNING|SUCCEEDED)$/), provider: "offline", modelLabel: "offline model" });
    const id = (res.body as unknown as { id: string }).id;
    await workspaceSettled(workspaceId);
    const run = await callRoute(runRoute.GET, { headers: auth, params: { id } });
    const body = run.body as unknown as { status: string; output: { findings: { rule: string; file: string; line: number }[] }; usage: { inputTokens: number; outputTokens: number }; costMicros: number; toolCalls: number };
    expect(body.status).toBe("SUCCEEDED");
    expect(body.toolCalls).toBe(2);
    expect(body.output.findings).toEqual(expect.arrayContaining([expect.objectContaining({ rule: "SECRET-AWS-ACCESS-KEY", file: "config/settings.py", line: 2 })]));
    expect(body.usage.inputTokens).toBeGreaterThan(100); // counted with a tokenizer, not made up
    expect(body.usage.outputTokens).toBeGreaterThan(10);
    expect(body.costMicros).toBe(0);
  });

  it("returns the same run for the same idempotency key, also when the requests race", async () => {
    const key = `idem-${Date.now()}`;
    const first = await createRun({ agent: "security-scanner", input: scannerInput, idempotencyKey: key });
    const again = await createRun({ agent: "security-scanner", input: scannerInput }, { "idempotency-key": key });
    expect(first.status).toBe(201);
    expect(again.status).toBe(200);
    expect((again.body as unknown as { id: string }).id).toBe((first.body as unknown as { id: string }).id);

    const raceKey = `race-${Date.now()}`;
    const raced = await Promise.all(Array.from({ length: 8 }, () => createRun({ agent: "security-scanner", input: scannerInput, idempotencyKey: raceKey })));
    expect(new Set(raced.map((r) => (r.body as unknown as { id: string }).id)).size).toBe(1);
    expect(raced.filter((r) => r.status === 201)).toHaveLength(1);
    expect(await getDb().run.count({ where: { workspaceId, idempotencyKey: raceKey } })).toBe(1);

    const reused = await createRun({ agent: "security-scanner", input: { files: [{ path: "other.py", content: "x = 1" }] }, idempotencyKey: key });
    expect(reused.status).toBe(409);
    expect(reused.body?.error.code).toBe("idempotency_key_reused");
    await workspaceSettled(workspaceId);
  });

  it("answers 400 naming the field paths of invalid input, and writes nothing", async () => {
    const before = await getDb().run.count({ where: { workspaceId } });
    const res = await createRun({ agent: "security-scanner", input: { files: [{ path: "", content: 42 }] } });
    expect(res.status).toBe(400);
    expect(res.body?.error.code).toBe("validation_failed");
    expect(res.body?.error.details.issues.map((i) => i.path)).toEqual(expect.arrayContaining(["input.files.0.path", "input.files.0.content"]));
    expect((await createRun({ agent: "security-scanner" })).body?.error.details.issues.map((i) => i.path)).toEqual(["input"]);
    expect((await createRun({ agent: "no-such-agent", input: {} })).status).toBe(404);
    expect(await getDb().run.count({ where: { workspaceId } })).toBe(before);
  });
});

describe("browser sessions", () => {
  it("may create runs from our own origin, never from another one", async () => {
    const { user } = await createUser("runs-browser");
    const cookie = await sessionCookie(user.id);
    const body = JSON.stringify({ agent: "security-scanner", input: scannerInput });
    const post = (origin: string) => callRoute(runsRoute.POST, { method: "POST", body, headers: { cookie, host: "agora.example:3000", origin } });
    expect((await post("http://agora.example:3000")).status).toBe(201);
    const evil = await post("https://evil.example");
    expect(evil.status).toBe(403);
    expect(evil.body?.error.code).toBe("forbidden");
    expect(await getDb().run.count({ where: { userId: user.id } })).toBe(1);
    await workspaceSettled(workspaceId);
  });
});

describe("run routes are scoped to the caller's workspace", () => {
  it("answers 404 for another workspace's run on every run route", async () => {
    const created = await createRun({ agent: "security-scanner", input: scannerInput });
    const id = (created.body as unknown as { id: string }).id;
    const other = await createUser("runs-other");
    const otherKey = await createApiKey(other.principal, { name: "other" });
    const asOther = { authorization: `Bearer ${otherKey.secret}` };
    expect((await callRoute(runRoute.GET, { headers: asOther, params: { id } })).status).toBe(404);
    expect((await callRoute(cancelRoute.POST, { method: "POST", headers: asOther, params: { id } })).status).toBe(404);
    const events = await eventsRoute.GET(new NextRequest(`http://127.0.0.1:3999/api/v1/runs/${id}/events`, { headers: asOther }), { params: Promise.resolve({ id }) });
    expect(events.status).toBe(404);
    const list = await callRoute(runsRoute.GET, { headers: asOther });
    expect((list.body as unknown as { data: { id: string }[] }).data.map((r) => r.id)).not.toContain(id);
    await workspaceSettled(workspaceId);
  });
});

describe("GET /api/v1/runs", () => {
  it("pages with a cursor and filters by status and agent", async () => {
    const { principal } = await createUser("runs-list", { tier: "enterprise" });
    const key = await createApiKey(principal, { name: "list" });
    const headers = { authorization: `Bearer ${key.secret}` };
    for (let i = 0; i < 5; i++) {
      await callRoute(runsRoute.POST, { method: "POST", body: JSON.stringify({ agent: "security-scanner", input: scannerInput }), headers });
    }
    await callRoute(runsRoute.POST, { method: "POST", body: JSON.stringify({ agent: "data-processor", input: { csv: "a\n1\n", steps: [{ op: "dedupe" }] } }), headers });
    await workspaceSettled(principal.workspace.id);

    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page = await callRoute(runsRoute.GET, { headers, path: `/api/v1/runs?limit=4${cursor ? `&cursor=${cursor}` : ""}` });
      const body = page.body as unknown as { data: { id: string }[]; nextCursor: string | null };
      seen.push(...body.data.map((r) => r.id));
      cursor = body.nextCursor;
    } while (cursor);
    expect(seen).toHaveLength(6);
    expect(new Set(seen).size).toBe(6);

    const scanner = await callRoute(runsRoute.GET, { headers, path: "/api/v1/runs?agent=data-processor&status=SUCCEEDED" });
    expect((scanner.body as unknown as { data: { agent: string }[] }).data.map((r) => r.agent)).toEqual(["data-processor"]);
    expect((await callRoute(runsRoute.GET, { headers, path: "/api/v1/runs?status=BOGUS" })).status).toBe(400);
    expect((await callRoute(runsRoute.GET, { headers, path: "/api/v1/runs?cursor=garbage" })).status).toBe(400);
  });
});

describe("GET /api/v1/runs/:id/events (SSE)", () => {
  it("replays the transcript ending with usage, and resumes after Last-Event-ID with exactly the missing events", async () => {
    const created = await createRun({ agent: "security-scanner", input: scannerInput });
    const id = (created.body as unknown as { id: string }).id;
    const res = await eventsRequest(id);
    expect(res.headers.get("content-type")).toContain("text/event-stream");
    const all = await readSse(res);
    expect(all.map((e) => e.id)).toEqual(all.map((_, i) => i + 1));
    expect(all.at(-1)!.event).toBe("usage");
    expect(all.map((e) => e.event)).toEqual(expect.arrayContaining(["status", "tool_call", "tool_result", "output"]));

    const resumed = await readSse(await eventsRequest(id, { "last-event-id": "3" }));
    expect(resumed.map((e) => e.id)).toEqual(all.slice(3).map((e) => e.id));
    expect(resumed.map((e) => e.data)).toEqual(all.slice(3).map((e) => e.data));
  });

  it("a client that disconnects does not stop the run", async () => {
    const created = await createRun({ agent: "security-scanner", input: scannerInput });
    const id = (created.body as unknown as { id: string }).id;
    const first = await readSse(await eventsRequest(id), () => true); // read one event, then hang up
    expect(first).toHaveLength(1);
    await workspaceSettled(workspaceId);
    const run = await callRoute(runRoute.GET, { headers: auth, params: { id } });
    expect((run.body as unknown as { status: string }).status).toBe("SUCCEEDED");
  });
});

describe("cancel", () => {
  it("refuses to cancel a finished run with 409", async () => {
    const created = await createRun({ agent: "security-scanner", input: scannerInput });
    const id = (created.body as unknown as { id: string }).id;
    await workspaceSettled(workspaceId);
    const res = await callRoute(cancelRoute.POST, { method: "POST", headers: auth, params: { id } });
    expect(res.status).toBe(409);
    expect(res.body?.error.code).toBe("run_finished");
  });
});

describe("GET /api/v1/agents", () => {
  const list = async (qs: string) =>
    (await callRoute(agentsRoute.GET, { path: `/api/v1/agents${qs}` })).body as unknown as { data: { slug: string; runs: number; baseFeeMicros: number; successRate: number | null }[]; nextCursor: string | null };

  it("ranks full-text matches, matching prefixes as the user types", async () => {
    expect((await list("?q=secret")).data[0]!.slug).toBe("security-scanner");
    expect((await list("?q=secr")).data[0]!.slug).toBe("security-scanner"); // a prefix of "secret(s)": ranked first
    expect((await list("?q=kubernetes")).data.map((a) => a.slug)).toEqual(["deployment-agent"]);
    expect((await list("?q=csv transform")).data.map((a) => a.slug)).toEqual(["data-processor"]);
    expect((await list("?q=zzzqqq")).data).toEqual([]);
  });

  it("filters by category, capability and price, sorts, and pages with a cursor", async () => {
    // The built-ins (the Agora provider's): other test files publish third-party packages into the same catalog.
    expect((await list("?category=data&provider=agora")).data.map((a) => a.slug)).toEqual(["data-processor"]);
    expect((await list("?capability=secret%20detection&provider=agora")).data.map((a) => a.slug)).toEqual(["security-scanner"]);
    const cheap = builtInPackages.filter((p) => p.baseFeeMicros <= 1500n).map((p) => p.slug);
    expect(cheap).toEqual(expect.arrayContaining(["data-processor", "escalation-manager"])); // the filter has something to find…
    expect(cheap).not.toContain("security-scanner"); // …and something to leave out (base fee 2000)
    expect((await list("?maxPrice=1500&provider=agora")).data.map((a) => a.slug).sort()).toEqual(cheap.sort());
    const byPrice = (await list("?sort=price")).data;
    expect(byPrice.map((a) => a.baseFeeMicros)).toEqual([...byPrice.map((a) => a.baseFeeMicros)].sort((a, b) => a - b));
    expect(byPrice.map((a) => a.slug)).toEqual(expect.arrayContaining(["data-processor", "security-scanner"]));
    // One card per page: the cursor walks the same list, without repeats, then stops. Other test files may publish
    // (and then suspend) a package of their own meanwhile: walk between two identical reads of the whole list.
    const walk = async () => {
      const walked: string[] = [];
      let cursor: string | null = null;
      do {
        const page: Awaited<ReturnType<typeof list>> = await list(`?sort=price&limit=1&provider=agora${cursor ? `&cursor=${cursor}` : ""}`);
        walked.push(...page.data.map((a) => a.slug));
        cursor = page.nextCursor;
      } while (cursor && walked.length < 50);
      return walked;
    };
    let walked: string[] = [];
    let whole: string[] = [];
    for (let attempt = 0; attempt < 5; attempt++) {
      const before = (await list("?sort=price&provider=agora")).data.map((a) => a.slug);
      walked = await walk();
      whole = (await list("?sort=price&provider=agora")).data.map((a) => a.slug);
      if (JSON.stringify(before) === JSON.stringify(whole)) break;
    }
    expect(walked).toEqual(whole);
    const popular = await list("?sort=popular");
    expect(popular.data[0]!.runs).toBeGreaterThanOrEqual(popular.data[1]!.runs);
    expect((await callRoute(agentsRoute.GET, { path: "/api/v1/agents?sort=cheapest" })).status).toBe(400);
  });

  it("GET /agents/:slug returns schemas and the example; unknown slugs are 404", async () => {
    const res = await callRoute(agentRoute.GET, { params: { slug: "security-scanner" } });
    const body = res.body as unknown as { inputSchema: { properties: Record<string, unknown> }; exampleInput: unknown; description: string };
    expect(body.inputSchema.properties).toHaveProperty("files");
    expect(body.exampleInput).toEqual(scannerInput);
    expect((await callRoute(agentRoute.GET, { params: { slug: "nope" } })).status).toBe(404);
  });
});
