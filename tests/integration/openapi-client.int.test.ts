import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAgoraClient } from "@/lib/api-client";
import { openApiDocument } from "@/lib/openapi/document";
import { runEventSchema } from "@/lib/runs/response-schemas";
import { startRunWorker } from "@/lib/runs/run-executor-instance";
import { API_TYPES_FILE, apiTypesSource } from "@/scripts/api-types";
import { startApiServer } from "../helpers/api-server";
import { sessionCookie } from "../helpers/call-route";
import { createUser, setWallet } from "../helpers/factories";
import { scannerInput, workspaceSettled } from "../helpers/run-harness";

// The typed client (lib/api-client: openapi-fetch over the types generated from the API description)
// against a real HTTP server in this process serving the real route handlers, database and run worker:
// key → quote → run → wait → events → usage. Every success body is also checked against its documented
// schema by the route wrapper (NODE_ENV=test), so a drifted schema fails here too.

let server: Awaited<ReturnType<typeof startApiServer>>;

beforeAll(async () => {
  await startRunWorker("all");
  server = await startApiServer();
});
afterAll(async () => {
  await server?.close();
});

/** The SSE messages of a finished stream: each `data:` line parsed. */
function sseData(text: string): unknown[] {
  return text
    .split("\n\n")
    .map((block) => block.split("\n").find((l) => l.startsWith("data: ")))
    .filter((line): line is string => line !== undefined)
    .map((line) => JSON.parse(line.slice("data: ".length)) as unknown);
}

describe("the typed client", () => {
  it("runs a full flow over HTTP: create a key, quote, run, wait, read the events, read the usage", async () => {
    const { user, workspace } = await createUser("openapi-client", { tier: "enterprise" });
    await setWallet(workspace.id, 5_000_000n);

    // Keys are made by a signed-in member (a session), then everything else goes with the key.
    const member = createAgoraClient({ baseUrl: server.baseUrl, headers: { cookie: await sessionCookie(user.id) } });
    const created = await member.POST("/api/v1/keys", { body: { name: "typed client" } });
    expect(created.response.status, JSON.stringify(created.error)).toBe(201);
    const secret = created.data!.secret;
    expect(secret.startsWith(created.data!.prefix)).toBe(true);

    const agora = createAgoraClient({ baseUrl: server.baseUrl, apiKey: secret });
    const quote = await agora.POST("/api/v1/runs/quote", { body: { agent: "security-scanner", input: scannerInput } });
    expect(quote.response.status, JSON.stringify(quote.error)).toBe(200);
    expect(quote.data!.sufficient).toBe(true);
    expect(quote.data!.maxHoldMicros).toBeGreaterThan(0);

    const started = await agora.POST("/api/v1/runs", { body: { agent: "security-scanner", input: scannerInput } });
    expect(started.response.status, JSON.stringify(started.error)).toBe(201);
    const runId = started.data!.id;
    expect(started.data!.status).toBe("QUEUED");
    expect(started.data!.principal).toEqual({ kind: "api_key", id: created.data!.id });

    await workspaceSettled(workspace.id);
    const run = await agora.GET("/api/v1/runs/{id}", { params: { path: { id: runId } } });
    expect(run.data?.status, JSON.stringify(run.data?.error)).toBe("SUCCEEDED");
    expect(run.data!.priceMicros).toBeGreaterThan(0);
    expect(run.data!.breakdown?.totalMicros).toBe(run.data!.priceMicros);

    // The transcript of a finished run: replayed, then the stream closes after `usage`.
    const events = await agora.GET("/api/v1/runs/{id}/events", { params: { path: { id: runId } }, parseAs: "text" });
    expect(events.response.headers.get("content-type")).toContain("text/event-stream");
    const transcript = sseData(events.data!).map((d) => runEventSchema.parse(d));
    expect(transcript.length).toBeGreaterThan(1);
    expect(transcript.map((e) => e.seq)).toEqual(transcript.map((_, i) => i + 1));
    expect(transcript.at(-1)!.type).toBe("usage");

    const usage = await agora.GET("/api/v1/usage/summary", {});
    expect(usage.response.status, JSON.stringify(usage.error)).toBe(200);
    expect(usage.data!.totals.runs).toBe(1);
    expect(usage.data!.totals.succeeded).toBe(1);
    expect(usage.data!.totals.spendMicros).toBe(run.data!.priceMicros);
    expect(usage.data!.byKey).toEqual([expect.objectContaining({ apiKeyId: created.data!.id, runs: 1, spendMicros: run.data!.priceMicros })]);
  });

  it("hands back the documented error body on a refusal", async () => {
    const { workspace, principal } = await createUser("openapi-client-error", { tier: "enterprise" });
    await setWallet(workspace.id, 1_000_000n);
    const { createApiKey } = await import("@/lib/api-keys/api-keys");
    const agora = createAgoraClient({ baseUrl: server.baseUrl, apiKey: (await createApiKey(principal, { name: "errors" })).secret });
    const res = await agora.POST("/api/v1/runs/quote", { body: { agent: "no-such-agent-anywhere", input: {} } });
    expect(res.response.status).toBe(404);
    expect(res.data).toBeUndefined();
    expect(res.error?.error.code).toBe("not_found");
    const badKey = await createAgoraClient({ baseUrl: server.baseUrl, apiKey: "agora_not_a_real_key" }).GET("/api/v1/runs", { params: { query: {} } });
    expect(badKey.response.status).toBe(401);
    expect(badKey.error?.error.code).toBe("unauthenticated");
  });
});

describe("the client's generated types", () => {
  it(`${API_TYPES_FILE} is what \`npm run api:types\` writes for today's API description (run it after changing a route)`, async () => {
    const fresh = await apiTypesSource(openApiDocument());
    expect(readFileSync(API_TYPES_FILE, "utf8") === fresh, `${API_TYPES_FILE} is stale: run \`npm run api:types\``).toBe(true);
  });
});
