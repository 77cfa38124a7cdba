import http from "node:http";
import type { AddressInfo } from "node:net";
import { A2A_PROTOCOL_VERSION, AGENT_CARD_PATH, Role, TaskState } from "@a2a-js/sdk";
import { AgentEvent, DefaultRequestHandler, InMemoryTaskStore, JsonRpcTransportHandler, ServerCallContext, type AgentExecutor } from "@a2a-js/sdk/server";
import { Webhook } from "standardwebhooks";

// A provider's A2A agent for the tests and the benchmark, built with the SDK's own
// server side on node:http (as a provider would serve it): the agent card at
// /.well-known/agent-card.json, JSON-RPC at /a2a. Every POST must carry a valid
// Standard Webhooks signature and `Authorization: Bearer <secret>` for its
// `secret` (verified with the `standardwebhooks` reference package), else 401.
// `mode` (changeable between runs) decides what the agent does; every request
// is recorded.

export type FakeProviderMode =
  | "ok" // two status updates with billable events (3 + 2 page_crawled), progress text, a valid artifact, COMPLETED
  | "instant" // the artifact and COMPLETED at once (the benchmark)
  | "http500" // 500 before streaming
  | "stall" // works until canceled (CancelTask), then CANCELED
  | "wait" // as "stall", reporting progress but no billable event
  | "invalid" // an artifact that does not match the output schema
  | "failed" // the task ends FAILED
  | "undeclared"; // reports a billable event the manifest does not declare

export type FakeProvider = {
  url: string;
  /** The one secret it accepts (a provider that rotated keeps only the new one). */
  secret: string;
  mode: FakeProviderMode;
  requests: { method: string; path: string; headers: http.IncomingHttpHeaders; raw: string }[];
  /** The JSON-RPC methods received, in order. */
  methods(): string[];
  close(): Promise<void>;
};

export const FAKE_OUTPUT = { summary: "ok", pages: 5 };

export async function startFakeProvider(opts: { secret: string; mode?: FakeProviderMode; streaming?: boolean }): Promise<FakeProvider> {
  // A stalled task waits for its CancelTask (which may come first): one promise per task id, resolved by the cancel.
  const cancels = new Map<string, { promise: Promise<void>; resolve: () => void }>();
  const cancelOf = (taskId: string) => {
    let c = cancels.get(taskId);
    if (!c) {
      let resolve!: () => void;
      const promise = new Promise<void>((r) => (resolve = r));
      cancels.set(taskId, (c = { promise, resolve }));
    }
    return c;
  };
  const now = () => new Date().toISOString();
  const status = (taskId: string, contextId: string, state: TaskState, metadata?: Record<string, unknown>, text?: string) =>
    AgentEvent.statusUpdate({
      taskId,
      contextId,
      metadata,
      status: { state, timestamp: now(), message: text ? { messageId: `m-${Math.random()}`, contextId, taskId, role: Role.ROLE_AGENT, parts: [{ content: { $case: "text", value: text }, metadata: undefined, filename: "", mediaType: "text/plain" }], metadata: undefined, extensions: [], referenceTaskIds: [] } : undefined },
    });
  const artifact = (taskId: string, contextId: string, value: unknown) =>
    AgentEvent.artifactUpdate({
      taskId,
      contextId,
      append: false,
      lastChunk: true,
      metadata: undefined,
      artifact: { artifactId: "result", name: "result", description: "", metadata: undefined, extensions: [], parts: [{ content: { $case: "data", value }, metadata: undefined, filename: "", mediaType: "application/json" }] },
    });

  const executor: AgentExecutor = {
    cancelTask: async (taskId) => cancelOf(taskId).resolve(),
    async execute(ctx, bus) {
      const { taskId, contextId, userMessage } = ctx;
      const mode = fake.mode;
      bus.publish(AgentEvent.task({ id: taskId, contextId, artifacts: [], history: [userMessage], metadata: undefined, status: { state: TaskState.TASK_STATE_SUBMITTED, timestamp: now(), message: undefined } }));
      if (mode === "instant") {
        bus.publish(artifact(taskId, contextId, FAKE_OUTPUT));
        bus.publish(status(taskId, contextId, TaskState.TASK_STATE_COMPLETED));
        return;
      }
      if (mode === "wait") bus.publish(status(taskId, contextId, TaskState.TASK_STATE_WORKING, undefined, "Working on it"));
      else bus.publish(status(taskId, contextId, TaskState.TASK_STATE_WORKING, { "agora/billable-events": [{ id: "evt_1", name: mode === "undeclared" ? "gpu_hour" : "page_crawled", count: 3 }] }, "Crawled 3 pages"));
      if (mode === "stall" || mode === "wait") {
        await cancelOf(taskId).promise;
        bus.publish(status(taskId, contextId, TaskState.TASK_STATE_CANCELED));
        return;
      }
      // A replayed report (same id) is not counted twice.
      bus.publish(status(taskId, contextId, TaskState.TASK_STATE_WORKING, { "agora/billable-events": [{ id: "evt_2", name: "page_crawled", count: 2 }, { id: "evt_1", name: "page_crawled", count: 3 }] }, "Crawled 2 more pages"));
      if (mode === "failed") {
        bus.publish(status(taskId, contextId, TaskState.TASK_STATE_FAILED, undefined, "Could not finish"));
        return;
      }
      bus.publish(artifact(taskId, contextId, mode === "invalid" ? { wrong: true } : FAKE_OUTPUT));
      bus.publish(status(taskId, contextId, TaskState.TASK_STATE_COMPLETED));
    },
  };

  let base = "";
  const card = () => ({
    name: "Fake Provider",
    description: "A test agent",
    version: "1.0.0",
    supportedInterfaces: [{ url: `${base}/a2a`, protocolBinding: "JSONRPC", tenant: "", protocolVersion: A2A_PROTOCOL_VERSION }],
    provider: { organization: "Fake", url: "https://fake.example" },
    capabilities: { streaming: opts.streaming ?? true, pushNotifications: false, extensions: [], extendedAgentCard: false },
    securitySchemes: { agora: { httpAuthSecurityScheme: { scheme: "bearer", bearerFormat: "", description: "" } } },
    securityRequirements: [{ schemes: { agora: { list: [] } } }],
    defaultInputModes: ["application/json"],
    defaultOutputModes: ["application/json"],
    skills: [{ id: "summarize", name: "Summarize", description: "Summarizes", tags: [], examples: [], inputModes: [], outputModes: [], securityRequirements: [] }],
    signatures: [],
  });
  let rpc: JsonRpcTransportHandler | undefined;

  const server = http.createServer(async (req, res) => {
    let raw = "";
    for await (const chunk of req) raw += chunk;
    fake.requests.push({ method: req.method ?? "", path: req.url ?? "", headers: req.headers, raw });
    if (req.method === "GET" && req.url === `/${AGENT_CARD_PATH}`) {
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(card()));
      return;
    }
    try {
      new Webhook(fake.secret).verify(raw, req.headers as Record<string, string>);
      if (req.headers.authorization !== `Bearer ${fake.secret}`) throw new Error("wrong bearer token");
    } catch (err) {
      res.writeHead(401, { "content-type": "application/json" }).end(JSON.stringify({ error: `unauthorized: ${(err as Error).message}` }));
      return;
    }
    if (fake.mode === "http500" && raw.includes("SendStreamingMessage")) {
      res.writeHead(500).end("boom");
      return;
    }
    rpc ??= new JsonRpcTransportHandler(new DefaultRequestHandler(card() as never, new InMemoryTaskStore(), executor));
    const result = await rpc.handle(raw, new ServerCallContext({ requestedVersion: req.headers["a2a-version"] as string | undefined }));
    if (result && typeof (result as AsyncIterable<unknown>)[Symbol.asyncIterator] === "function") {
      res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache" });
      for await (const ev of result as AsyncIterable<unknown>) res.write(`data: ${JSON.stringify(ev)}\n\n`);
      res.end();
    } else {
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(result));
    }
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const fake: FakeProvider = {
    url: base,
    secret: opts.secret,
    mode: opts.mode ?? "ok",
    requests: [],
    methods: () => fake.requests.filter((r) => r.method === "POST").map((r) => (JSON.parse(r.raw) as { method: string }).method),
    close: () => new Promise((r) => (server.closeAllConnections(), server.close(() => r()))),
  };
  return fake;
}
