import { Role, SendMessageRequest, TaskState, type StreamResponse } from "@a2a-js/sdk";
import { ClientFactory, DefaultAgentCardResolver, JsonRpcTransportFactory, type Client } from "@a2a-js/sdk/client";
import { NextRequest } from "next/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as cardRoute from "@/app/api/a2a/[slug]/[...path]/route";
import * as rpcRoute from "@/app/api/a2a/[slug]/route";
import { API_KEY_SCHEME, SCHEMAS_EXTENSION } from "@/lib/a2a/agent-card";
import { createApiKey } from "@/lib/api-keys/api-keys";
import { getDb } from "@/lib/db/client";
import { balanceOf } from "@/lib/ledger/ledger";
import { cardSnapshot, readAgentCard } from "@/lib/remote/a2a";
import { startRunWorker } from "@/lib/runs/run-executor-instance";
import { startFakeProvider } from "../fakes/a2a-provider";
import { callRoute } from "../helpers/call-route";
import { createRemotePackage, createUser, newSigningSecret, setWallet } from "../helpers/factories";
import { expectLedgerInvariantsAfterEach } from "../helpers/lifecycle";
import { scannerInput } from "../helpers/run-harness";

// The A2A server (issue 22): every published package is an A2A agent. Driven by
// @a2a-js/sdk's own client, whose fetch calls the real route handlers in-process
// (the card route and the JSON-RPC route); runs are executed by this process's
// run worker (offline model: no ANTHROPIC_API_KEY in tests) on the real database.

const db = getDb();
expectLedgerInvariantsAfterEach();
const ORIGIN = "http://127.0.0.1:3999";
const START = 10_000_000n;

beforeAll(() => startRunWorker("all"));

/** A fetch that serves /api/a2a/… from the route handlers, with the caller's key (if any). */
function routeFetch(key?: string): typeof fetch {
  return async (input, init) => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    const headers = new Headers(init?.headers);
    headers.set("host", url.host);
    if (key) headers.set("authorization", `Bearer ${key}`);
    const req = new NextRequest(url, { method: init?.method ?? "GET", headers, body: init?.body as BodyInit | undefined, signal: init?.signal ?? undefined });
    // As Next routes them: /api/a2a/[slug] and /api/a2a/[slug]/[...path].
    const [slug, ...rest] = url.pathname.replace(/^\/api\/a2a\//, "").split("/");
    if (!url.pathname.startsWith("/api/a2a/") || !slug) return new Response("not found", { status: 404 });
    if (rest.length) return cardRoute.GET(req, { params: Promise.resolve({ slug, path: rest }) });
    return rpcRoute.POST(req, { params: Promise.resolve({ slug }) });
  };
}

/** The SDK client for a package's agent, resolved from its base URL as any A2A client would (the trailing slash: the card path is relative to it). */
async function clientFor(slug: string, key: string): Promise<Client> {
  const fetchImpl = routeFetch(key);
  const factory = new ClientFactory({ transports: [new JsonRpcTransportFactory({ fetchImpl })], cardResolver: new DefaultAgentCardResolver({ fetchImpl }) });
  return factory.createFromUrl(`${ORIGIN}/api/a2a/${slug}/`);
}

/** A workspace with credit and an API key: its key, its balance, its runs. */
async function consumer(label: string, credit = START) {
  const { principal, workspace } = await createUser(label, { tier: "enterprise" });
  const wallet = await setWallet(workspace.id, credit);
  const key = await createApiKey(principal, { name: "a2a" });
  return { principal, workspace, key: key.secret, balance: async () => (await balanceOf(db, wallet)).postedMicros, runs: () => db.run.findMany({ where: { workspaceId: workspace.id } }) };
}

let seq = 0;
/** A SendMessageRequest with `parts` (v1.0 JSON) as the user's message. */
const send = (parts: unknown[], extra: { messageId?: string; contextId?: string; returnImmediately?: boolean } = {}) =>
  SendMessageRequest.fromJSON({
    message: { messageId: extra.messageId ?? `msg-${process.pid}-${++seq}-${Date.now()}`, contextId: extra.contextId, role: "ROLE_USER", parts },
    configuration: { acceptedOutputModes: ["application/json"], returnImmediately: extra.returnImmediately ?? false },
  });
const dataParts = (input: unknown) => [{ data: input, mediaType: "application/json" }];

/** The JSON-RPC error an SDK call was refused with. */
async function rpcErrorOf(call: Promise<unknown>): Promise<{ code: number; message: string; data?: { "@type": string; code?: string; status?: number; details?: { issues?: { path: string }[] } }[] }> {
  const err = (await call.then(
    () => undefined,
    (e: unknown) => e,
  )) as { envelopeCode?: number; message: string; data?: unknown; errorResponse?: { error: { code: number; message: string; data?: unknown } } } | undefined;
  expect(err, "the call was refused").toBeDefined();
  const e = err!.errorResponse?.error ?? { code: err!.envelopeCode!, message: err!.message, data: err!.data };
  return e as never;
}

describe("agent cards", () => {
  it("the SDK's resolver reads Security Scanner's card: skill from its capabilities and example, bearer API-key auth, streaming, the JSON-RPC url", async () => {
    const fetchImpl = routeFetch();
    const resolved = await new DefaultAgentCardResolver({ fetchImpl }).resolve(`${ORIGIN}/api/a2a/security-scanner/`);
    const pkg = await db.agentPackage.findFirstOrThrow({ where: { slug: "security-scanner", status: "PUBLISHED" }, orderBy: { createdAt: "desc" } });
    expect(resolved.name).toBe(pkg.name);
    expect(resolved.version).toBe(pkg.version);
    expect(resolved.capabilities?.streaming).toBe(true);
    expect(resolved.supportedInterfaces).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ url: `${ORIGIN}/api/a2a/security-scanner`, protocolBinding: "JSONRPC", protocolVersion: "1.0" }),
        expect.objectContaining({ url: `${ORIGIN}/api/a2a/security-scanner`, protocolBinding: "JSONRPC", protocolVersion: "0.3" }),
      ]),
    );
    expect(resolved.securitySchemes[API_KEY_SCHEME]?.scheme).toMatchObject({ $case: "httpAuthSecurityScheme", value: { scheme: "bearer" } });
    expect(resolved.securityRequirements).toEqual([{ schemes: { [API_KEY_SCHEME]: { list: [] } } }]);
    expect(resolved.defaultInputModes).toEqual(["application/json"]);
    expect(resolved.defaultOutputModes).toEqual(["application/json"]);
    expect(resolved.skills).toHaveLength(1);
    const [skill] = resolved.skills;
    expect(skill).toMatchObject({ id: "security-scanner", tags: pkg.capabilities });
    expect(pkg.capabilities.length).toBeGreaterThan(0);
    expect(JSON.parse(skill!.examples[0]!)).toEqual(pkg.exampleInput);
    // The schemas travel in the card's extension.
    expect(resolved.capabilities?.extensions[0]).toMatchObject({ uri: SCHEMAS_EXTENSION, required: false, params: { inputSchema: pkg.inputSchema, outputSchema: pkg.outputSchema } });
  });

  it("is public; an unknown slug, or another path, is a 404 JSON error", async () => {
    const card = (slug: string, path = [".well-known", "agent-card.json"]) => callRoute(cardRoute.GET, { path: `/api/a2a/${slug}/${path.join("/")}`, params: { slug, path } });
    expect((await card("security-scanner")).status).toBe(200);
    const missing = await card("no-such-agent");
    expect(missing.status).toBe(404);
    expect(missing.body?.error.code).toBe("not_found");
    const elsewhere = await card("security-scanner", [".well-known", "other.json"]);
    expect(elsewhere.status).toBe(404);
    expect(elsewhere.body?.error.message).toContain("/api/a2a/security-scanner/.well-known/agent-card.json");
  });
});

describe("tasks are runs", () => {
  let outcome: { events: StreamResponse[]; taskId: string; contextId: string; c: Awaited<ReturnType<typeof consumer>> };

  it("streams Security Scanner on its example input: submitted, working, the findings as an artifact, completed — charged once", async () => {
    const c = await consumer("a2a-stream");
    const client = await clientFor("security-scanner", c.key);
    const events: StreamResponse[] = [];
    for await (const ev of client.sendMessageStream(send(dataParts(scannerInput), { contextId: "ctx-stream" }))) events.push(ev);

    const cases = events.map((e) => e.payload?.$case);
    expect(cases[0]).toBe("task");
    const task = events[0]!.payload!.$case === "task" ? events[0]!.payload!.value : undefined;
    expect(task).toMatchObject({ contextId: "ctx-stream", status: { state: TaskState.TASK_STATE_SUBMITTED } });
    const states = events.flatMap((e) => (e.payload?.$case === "statusUpdate" ? [e.payload.value.status!.state] : []));
    expect(states).toContain(TaskState.TASK_STATE_WORKING);
    expect(states.at(-1)).toBe(TaskState.TASK_STATE_COMPLETED);
    expect(cases.at(-1)).toBe("statusUpdate");
    const artifacts = events.flatMap((e) => (e.payload?.$case === "artifactUpdate" ? [e.payload.value.artifact!] : []));
    expect(artifacts).toHaveLength(1);
    const part = artifacts[0]!.parts[0]!.content;
    expect(part?.$case).toBe("data");
    const output = part?.$case === "data" ? (part.value as { findings: { rule: string; file: string }[] }) : undefined;
    expect(output?.findings).toEqual(expect.arrayContaining([expect.objectContaining({ rule: "SECRET-AWS-ACCESS-KEY", file: "config/settings.py" })]));

    // One run, the task's: SUCCEEDED with that output, and the balance dropped by exactly its price.
    const runs = await c.runs();
    expect(runs).toHaveLength(1);
    expect(runs[0]).toMatchObject({ id: task!.id, status: "SUCCEEDED", agentSlug: "security-scanner" });
    expect(runs[0]!.output).toEqual(output);
    expect(runs[0]!.priceMicros).toBeGreaterThan(0n);
    expect(await c.balance()).toBe(START - runs[0]!.priceMicros);
    outcome = { events, taskId: task!.id, contextId: task!.contextId, c };
  });

  it("GetTask returns the completed task: its output as the artifact, the input as the user's message, the price in metadata", async () => {
    const { c, taskId } = outcome;
    const client = await clientFor("security-scanner", c.key);
    const task = await client.getTask({ id: taskId, tenant: "", historyLength: undefined });
    expect(task).toMatchObject({ id: taskId, contextId: "ctx-stream", status: { state: TaskState.TASK_STATE_COMPLETED } });
    const run = await db.run.findUniqueOrThrow({ where: { id: taskId } });
    expect(task.artifacts[0]!.parts[0]!.content).toEqual({ $case: "data", value: run.output });
    expect(task.history[0]).toMatchObject({ role: Role.ROLE_USER, parts: [{ content: { $case: "data", value: scannerInput } }] });
    expect(task.metadata?.agora).toMatchObject({ runId: taskId, priceMicros: Number(run.priceMicros), status: "SUCCEEDED" });
    // historyLength 0 leaves the history out.
    expect((await client.getTask({ id: taskId, tenant: "", historyLength: 0 })).history).toEqual([]);
    // Subscribing to a task that ended: its snapshot, then the stream ends.
    const resubscribed: StreamResponse[] = [];
    for await (const ev of client.resubscribeTask({ id: taskId, tenant: "" })) resubscribed.push(ev);
    expect(resubscribed.map((e) => e.payload?.$case)).toEqual(["task"]);
    expect(resubscribed[0]!.payload?.$case === "task" && resubscribed[0]!.payload.value.status?.state).toBe(TaskState.TASK_STATE_COMPLETED);
  });

  it("a blocking SendMessage returns the completed task; the same message sent again is the same run, not a second charge", async () => {
    const c = await consumer("a2a-blocking");
    const client = await clientFor("security-scanner", c.key);
    const request = send([{ text: JSON.stringify(scannerInput), mediaType: "text/plain" }], { messageId: "same-message", contextId: "ctx-block" });
    const first = await client.sendMessage(request);
    expect("status" in first && first.status?.state).toBe(TaskState.TASK_STATE_COMPLETED);
    const again = await client.sendMessage(request);
    expect("id" in again && again.id).toBe("id" in first && first.id);
    const runs = await c.runs();
    expect(runs).toHaveLength(1);
    expect(await c.balance()).toBe(START - runs[0]!.priceMicros);
  });

  it("the v0.3 method names work too (tasks/get)", async () => {
    const { c, taskId } = outcome;
    const res = await callRoute(rpcRoute.POST, {
      method: "POST",
      path: "/api/a2a/security-scanner",
      params: { slug: "security-scanner" },
      headers: { authorization: `Bearer ${c.key}` },
      body: JSON.stringify({ jsonrpc: "2.0", id: 7, method: "tasks/get", params: { id: taskId } }),
    });
    expect(res.status).toBe(200);
    const result = (res.body as unknown as { id: number; result: { kind: string; id: string; contextId: string; status: { state: string }; artifacts: { parts: { kind: string }[] }[] } }).result;
    expect(result).toMatchObject({ kind: "task", id: taskId, contextId: "ctx-stream", status: { state: "completed" } });
    expect(result.artifacts[0]!.parts[0]!.kind).toBe("data");
  });

  it("a v0.3 client (the SDK with legacyCompat, on the card's 0.3 interface) streams a task with message/stream", async () => {
    const c = await consumer("a2a-legacy");
    const methods: string[] = [];
    const routed = routeFetch(c.key);
    const fetchImpl: typeof fetch = (input, init) => {
      if (typeof init?.body === "string") methods.push((JSON.parse(init.body) as { method: string }).method);
      return routed(input, init);
    };
    const legacyCompat = { enabled: true };
    const resolver = new DefaultAgentCardResolver({ fetchImpl, legacyCompat });
    const card = await resolver.resolve(`${ORIGIN}/api/a2a/security-scanner/`);
    const legacyOnly = { ...card, supportedInterfaces: card.supportedInterfaces.filter((i) => i.protocolVersion === "0.3") };
    expect(legacyOnly.supportedInterfaces).toHaveLength(1);
    const client = await new ClientFactory({ transports: [new JsonRpcTransportFactory({ fetchImpl, legacyCompat })], cardResolver: resolver }).createFromAgentCard(legacyOnly);
    const events: StreamResponse[] = [];
    for await (const ev of client.sendMessageStream(send(dataParts(scannerInput)))) events.push(ev);
    expect(methods).toEqual(["message/stream"]);
    const artifact = events.find((e) => e.payload?.$case === "artifactUpdate");
    const content = artifact?.payload?.$case === "artifactUpdate" ? artifact.payload.value.artifact?.parts[0]?.content : undefined;
    expect(content?.$case === "data" && (content.value as { findings: { rule: string }[] }).findings).toEqual(expect.arrayContaining([expect.objectContaining({ rule: "SECRET-AWS-ACCESS-KEY" })]));
    const last = events.at(-1)?.payload;
    expect(last?.$case === "statusUpdate" && last.value.status?.state).toBe(TaskState.TASK_STATE_COMPLETED);
    const runs = await c.runs();
    expect(runs).toHaveLength(1);
    expect(await c.balance()).toBe(START - runs[0]!.priceMicros);
  });

  it("another workspace's task id is not found, to GetTask and to CancelTask", async () => {
    const other = await consumer("a2a-other");
    const client = await clientFor("security-scanner", other.key);
    for (const call of [() => client.getTask({ id: outcome.taskId, tenant: "", historyLength: undefined }), () => client.cancelTask({ id: outcome.taskId, tenant: "", metadata: undefined })]) {
      const err = await rpcErrorOf(call());
      expect(err.code).toBe(-32001); // TaskNotFoundError
      expect(err.message).toMatch(/No task/);
    }
  });
});

describe("refusals", () => {
  it("input that does not match the schema: invalid params naming the field, no run, no charge", async () => {
    const c = await consumer("a2a-invalid");
    const client = await clientFor("security-scanner", c.key);
    const err = await rpcErrorOf(client.sendMessage(send(dataParts({ files: [{ path: "a.py", content: 42 }] }))));
    expect(err.code).toBe(-32602);
    expect(err.message).toContain("input.files.0.content");
    expect(err.data?.[0]).toMatchObject({ "@type": "agora/error", code: "validation_failed", status: 400 });
    expect(err.data?.[0]?.details?.issues?.map((i) => i.path)).toContain("input.files.0.content");
    expect(await c.runs()).toHaveLength(0);
    expect(await c.balance()).toBe(START);
  });

  it("a message without a JSON object in it: invalid params naming the part (streaming too), no run", async () => {
    const c = await consumer("a2a-parts");
    const client = await clientFor("security-scanner", c.key);
    const notJson = await rpcErrorOf(client.sendMessage(send([{ text: "scan my repo please", mediaType: "text/plain" }])));
    expect(notJson).toMatchObject({ code: -32602, message: expect.stringContaining("message.parts[0]") });
    const array = await rpcErrorOf(
      (async () => {
        for await (const ev of client.sendMessageStream(send(dataParts([1, 2])))) void ev;
      })(),
    );
    expect(array).toMatchObject({ code: -32602, message: expect.stringMatching(/message\.parts\[0\].*JSON object.*not an array/) });
    expect(await c.runs()).toHaveLength(0);
  });

  it("no credit: a JSON-RPC error with the 402's message and details, no run", async () => {
    const c = await consumer("a2a-broke", 0n);
    const client = await clientFor("security-scanner", c.key);
    const err = await rpcErrorOf(client.sendMessage(send(dataParts(scannerInput))));
    expect(err.code).toBe(-32000);
    expect(err.data?.[0]).toMatchObject({ code: "insufficient_credits", status: 402, details: { availableMicros: 0 } });
    expect(err.message).toMatch(/credit/i);
    expect(await c.runs()).toHaveLength(0);
  });

  it("no API key: 401; an unknown agent: 404", async () => {
    const body = JSON.stringify({ jsonrpc: "2.0", id: 1, method: "GetTask", params: { id: "x" } });
    const anonymous = await callRoute(rpcRoute.POST, { method: "POST", path: "/api/a2a/security-scanner", params: { slug: "security-scanner" }, body });
    expect(anonymous.status).toBe(401);
    expect(anonymous.body?.error.code).toBe("unauthenticated");
    const c = await consumer("a2a-404");
    const unknown = await callRoute(rpcRoute.POST, { method: "POST", path: "/api/a2a/no-such-agent", params: { slug: "no-such-agent" }, headers: { authorization: `Bearer ${c.key}` }, body });
    expect(unknown.status).toBe(404);
  });
});

describe("cancel", () => {
  const secret = newSigningSecret();
  let fake: Awaited<ReturnType<typeof startFakeProvider>>;
  beforeAll(async () => {
    fake = await startFakeProvider({ secret, mode: "wait" }); // works until its task is canceled
  });
  afterAll(() => fake.close());

  it("CancelTask on a running task cancels its run: the stream ends canceled, the provider's task is canceled, nothing is charged", async () => {
    // A remote package (a fake provider's agent that works until canceled) holds the run RUNNING.
    const card = cardSnapshot((await readAgentCard(fake.url)).card);
    const { pkg } = await createRemotePackage({ endpointUrl: fake.url, agentCard: card, secret });
    const c = await consumer("a2a-cancel");
    const client = await clientFor(pkg.slug, c.key);

    const events: StreamResponse[] = [];
    let canceled: Promise<unknown> | undefined;
    for await (const ev of client.sendMessageStream(send(dataParts({ url: "https://example.com" })))) {
      events.push(ev);
      const p = ev.payload;
      // Once the provider reported progress (the run is RUNNING at the provider), cancel the task.
      if (!canceled && p?.$case === "statusUpdate" && p.value.status?.message?.parts.some((part) => part.content?.$case === "text" && part.content.value.includes("Working on it"))) {
        canceled = client.cancelTask({ id: p.value.taskId, tenant: "", metadata: undefined });
      }
    }
    expect(canceled, "the provider's progress was streamed").toBeDefined();
    const answered = (await canceled) as { id: string; status: { state: TaskState } };
    const final = events.at(-1)!.payload;
    expect(final?.$case === "statusUpdate" && final.value.status?.state).toBe(TaskState.TASK_STATE_CANCELED);

    const run = await db.run.findUniqueOrThrow({ where: { id: answered.id } });
    expect(run).toMatchObject({ status: "CANCELED", priceMicros: 0n });
    expect(await c.balance()).toBe(START);
    expect(fake.methods()).toContain("CancelTask");
    // Canceling it again: not cancelable (it ended).
    expect((await rpcErrorOf(client.cancelTask({ id: run.id, tenant: "", metadata: undefined }))).code).toBe(-32002);
    expect((await client.getTask({ id: run.id, tenant: "", historyLength: undefined })).status?.state).toBe(TaskState.TASK_STATE_CANCELED);
  });
});
