import { randomUUID } from "node:crypto";
import { Role, TaskState, type AgentCard, type Artifact, type CancelTaskRequest, type GetTaskRequest, type Message, type Part, type SendMessageRequest, type StreamResponse, type SubscribeToTaskRequest, type Task, type TaskStatus } from "@a2a-js/sdk";
import { A2AError, ExtendedAgentCardNotConfiguredError, PushNotificationNotSupportedError, RequestMalformedError, TaskNotCancelableError, TaskNotFoundError, UnsupportedOperationError } from "@a2a-js/sdk/errors";
import type { A2ARequestHandler } from "@a2a-js/sdk/server";
import { assertCan } from "@/lib/auth/permissions";
import type { Principal } from "@/lib/auth/principal";
import { db } from "@/lib/db/client";
import { ApiError } from "@/lib/http/errors";
import { acceptRun } from "@/lib/runs/accept-run";
import { cancelRun } from "@/lib/runs/cancel-run";
import { followRunEvents } from "@/lib/runs/event-stream";
import type { RunExecutor } from "@/lib/runs/executor";
import { getRun, type RunDetail, type RunEventJson } from "@/lib/runs/run-queries";
import { TERMINAL_STATUSES } from "@/lib/runs/schemas";
import { acquireStreamSlot } from "@/lib/runs/stream-slots";
import { packageAgentCard } from "./agent-card";

// A package's A2A tasks are its runs (issue 22): the SDK's JSON-RPC transport
// handlers (v1.0 and v0.3) call this A2ARequestHandler, which keeps no state of
// its own — a message is accepted as a normal metered, charged run (acceptRun),
// the task id is the run id, and GetTask / CancelTask / the streams read the Run
// row and its event log, so any app process answers for any task. The task's
// contextId (the message's, or a new one) and the message id are the run's
// idempotency key (`a2a:["<contextId>","<messageId>"]`): a message sent twice is
// one run.

const KEY_PREFIX = "a2a:";
const MAX_KEY = 255; // lib/runs/schemas.ts idempotencyKeySchema

const STATE: Record<string, TaskState> = {
  QUEUED: TaskState.TASK_STATE_SUBMITTED,
  RUNNING: TaskState.TASK_STATE_WORKING,
  SUCCEEDED: TaskState.TASK_STATE_COMPLETED,
  FAILED: TaskState.TASK_STATE_FAILED,
  CANCELED: TaskState.TASK_STATE_CANCELED,
};

const textPart = (text: string): Part => ({ content: { $case: "text", value: text }, metadata: undefined, filename: "", mediaType: "text/plain" });
const dataPart = (value: unknown): Part => ({ content: { $case: "data", value }, metadata: undefined, filename: "", mediaType: "application/json" });
const message = (id: string, role: Role, taskId: string, contextId: string, parts: Part[]): Message => ({ messageId: id, contextId, taskId, role, parts, metadata: undefined, extensions: [], referenceTaskIds: [] });
const status = (state: TaskState, timestamp: string, msg?: Message): TaskStatus => ({ state, timestamp, message: msg });

/** The run's output as the task's one artifact. */
const outputArtifact = (output: unknown): Artifact => ({ artifactId: "output", name: "output", description: "The package's output (matches its output schema).", parts: [dataPart(output)], metadata: undefined, extensions: [] });

/** The contextId a run was started with (its idempotency key, when an A2A message started it), else the run id. */
function contextOf(run: Pick<RunDetail, "id" | "idempotencyKey">): string {
  if (run.idempotencyKey?.startsWith(KEY_PREFIX)) {
    try {
      const [contextId] = JSON.parse(run.idempotencyKey.slice(KEY_PREFIX.length)) as unknown[];
      if (typeof contextId === "string") return contextId;
    } catch {
      // a REST caller's key that happens to start with "a2a:"
    }
  }
  return run.id;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
const kindOf = (v: unknown) => (v === null ? "null" : Array.isArray(v) ? "an array" : `a ${typeof v}`);

/** The run input a message carries: its first data part (a JSON object), else a text part whose text is a JSON object. */
export function messageInput(msg: Message): Record<string, unknown> {
  const bad = (field: string, problem: string) => new RequestMalformedError({ message: `${field}: ${problem}`, metadata: { field } });
  const at = (kind: "data" | "text") => msg.parts.findIndex((p) => p.content?.$case === kind);
  const d = at("data");
  if (d >= 0) {
    const content = msg.parts[d]!.content;
    const value: unknown = content?.$case === "data" ? content.value : undefined;
    if (isObject(value)) return value;
    throw bad(`message.parts[${d}]`, `the data part must be a JSON object (the package's input), not ${kindOf(value)}.`);
  }
  const t = at("text");
  if (t >= 0) {
    const content = msg.parts[t]!.content;
    let value: unknown;
    try {
      value = JSON.parse(content?.$case === "text" ? content.value : "");
    } catch {
      throw bad(`message.parts[${t}]`, "the text is not JSON; send the package's input as a data part (a JSON object), or as a text part holding one.");
    }
    if (isObject(value)) return value;
    throw bad(`message.parts[${t}]`, `the text must hold a JSON object (the package's input), not ${kindOf(value)}.`);
  }
  throw bad("message.parts", "send the package's input as a data part (a JSON object), or as a text part holding one.");
}

export type RunTaskOptions = {
  principal: Principal;
  slug: string;
  origin: string;
  executor: RunExecutor;
  /** The request's: aborted when the caller goes away (a stream stops following the run; the run carries on). */
  signal: AbortSignal;
};

export class RunTaskHandler implements A2ARequestHandler {
  /** The last error of ours (not an A2A protocol error) a method threw: the route answers it as Agora's refusal, not the SDK's "internal error". */
  failure: unknown;

  constructor(private readonly o: RunTaskOptions) {}

  private async guard<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (err) {
      if (!(err instanceof A2AError)) this.failure = err;
      throw err;
    }
  }

  getAgentCard(): Promise<AgentCard> {
    return this.guard(() => packageAgentCard(this.o.slug, this.o.origin));
  }

  async getAuthenticatedExtendedAgentCard(): Promise<AgentCard> {
    throw new ExtendedAgentCardNotConfiguredError("This agent has no extended card: its public card is all there is.");
  }

  sendMessage(params: SendMessageRequest): Promise<Message | Task> {
    return this.guard(async () => {
      const release = acquireStreamSlot(this.o.principal); // a blocking call holds its connection for the run's length
      try {
        const task = await this.start(params);
        if (params.configuration?.returnImmediately) return task;
        for await (const events of followRunEvents(task.id, { after: 0, signal: this.o.signal })) void events; // until the run ends
        return this.task(task.id);
      } finally {
        release();
      }
    });
  }

  async *sendMessageStream(params: SendMessageRequest): AsyncGenerator<StreamResponse, void, undefined> {
    // The stream takes its slot before the run exists: a full cap refuses and starts nothing.
    const release = acquireStreamSlot(this.o.principal);
    try {
      const task = await this.start(params);
      yield { payload: { $case: "task", value: task } };
      yield* this.follow(task.id, task.contextId, 0);
    } finally {
      release();
    }
  }

  async *resubscribe(params: SubscribeToTaskRequest): AsyncGenerator<StreamResponse, void, undefined> {
    const release = acquireStreamSlot(this.o.principal);
    try {
      // The events written before the snapshot are in it; the stream goes on from there.
      const last = await db.runEvent.findFirst({ where: { runId: params.id, run: { workspaceId: this.o.principal.workspace.id } }, orderBy: { seq: "desc" }, select: { seq: true } });
      const task = await this.task(params.id);
      yield { payload: { $case: "task", value: task } };
      if (task.status && task.status.state !== TaskState.TASK_STATE_SUBMITTED && task.status.state !== TaskState.TASK_STATE_WORKING) return;
      yield* this.follow(task.id, task.contextId, last?.seq ?? 0);
    } finally {
      release();
    }
  }

  getTask(params: GetTaskRequest): Promise<Task> {
    return this.guard(async () => {
      const task = await this.task(params.id);
      if (params.historyLength !== undefined) task.history = params.historyLength > 0 ? task.history.slice(-params.historyLength) : [];
      return task;
    });
  }

  cancelTask(params: CancelTaskRequest): Promise<Task> {
    return this.guard(async () => {
      assertCan(this.o.principal, "runs.cancel");
      const run = await this.run(params.id);
      if (TERMINAL_STATUSES.has(run.status)) throw new TaskNotCancelableError(`Task ${run.id} already ended (${run.status.toLowerCase()}).`);
      try {
        // QUEUED: canceled now; RUNNING: its executor (in whichever process) stops it and ends it CANCELED shortly.
        await cancelRun(this.o.principal.workspace.id, run.id, this.o.executor);
      } catch (err) {
        if (err instanceof ApiError && err.code === "run_finished") throw new TaskNotCancelableError(`Task ${run.id}: ${err.message}`);
        throw err;
      }
      return this.task(run.id);
    });
  }

  async listTasks(): Promise<never> {
    throw new UnsupportedOperationError("ListTasks is not supported; list runs with GET /api/v1/runs?agent=<slug>.");
  }

  async createTaskPushNotificationConfig(): Promise<never> {
    throw new PushNotificationNotSupportedError();
  }

  async getTaskPushNotificationConfig(): Promise<never> {
    throw new PushNotificationNotSupportedError();
  }

  async listTaskPushNotificationConfigs(): Promise<never> {
    throw new PushNotificationNotSupportedError();
  }

  async deleteTaskPushNotificationConfig(): Promise<never> {
    throw new PushNotificationNotSupportedError();
  }

  /** Accepts the message's run (or finds the run the same message started before); its task as accepted. */
  private async start(params: SendMessageRequest): Promise<Task> {
    const msg = params.message;
    if (!msg) throw new RequestMalformedError({ message: "message: required (the message whose data part is the package's input).", metadata: { field: "message" } });
    if (!msg.messageId) throw new RequestMalformedError({ message: "message.messageId: required.", metadata: { field: "message.messageId" } });
    if (msg.taskId) throw new RequestMalformedError({ message: "message.taskId: each task takes one message; send a new message without a taskId to start another task.", metadata: { field: "message.taskId" } });
    const input = messageInput(msg);
    const contextId = msg.contextId || randomUUID();
    const idempotencyKey = `${KEY_PREFIX}${JSON.stringify([contextId, msg.messageId])}`;
    if (idempotencyKey.length > MAX_KEY) throw new RequestMalformedError({ message: `message.contextId, message.messageId: too long together (at most ${MAX_KEY - 10} characters).`, metadata: { field: "message.messageId" } });
    const { run } = await acceptRun(this.o.principal, { agent: this.o.slug, input, idempotencyKey }, { executor: this.o.executor });
    return taskOf(run);
  }

  /** The run behind a task id: this workspace's, of this package; else the task is not found. */
  private async run(taskId: string): Promise<RunDetail> {
    const run = await getRun(this.o.principal.workspace.id, taskId).catch((err: unknown) => {
      if (err instanceof ApiError && err.code === "not_found") return null;
      throw err;
    });
    if (!run || run.agent !== this.o.slug) throw new TaskNotFoundError(`No task ${taskId} of this agent in your workspace.`);
    return run;
  }

  private async task(taskId: string): Promise<Task> {
    return taskOf(await this.run(taskId));
  }

  /** The run's events after `after` as A2A updates: working (with progress text), the output artifact, the final status. */
  private async *follow(taskId: string, contextId: string, after: number): AsyncGenerator<StreamResponse, void, undefined> {
    const seen = { working: false, error: undefined as string | undefined };
    for await (const events of followRunEvents(taskId, { after, signal: this.o.signal })) {
      for (const e of events) {
        const u = eventUpdate(e, seen);
        if (!u) continue;
        if ("output" in u) {
          yield { payload: { $case: "artifactUpdate", value: { taskId, contextId, append: false, lastChunk: true, metadata: undefined, artifact: outputArtifact(u.output) } } };
        } else {
          const msg = u.text === undefined ? undefined : message(`${taskId}:${e.seq}`, Role.ROLE_AGENT, taskId, contextId, [textPart(u.text)]);
          yield { payload: { $case: "statusUpdate", value: { taskId, contextId, metadata: undefined, status: status(u.state, e.at, msg) } } };
        }
      }
    }
  }
}

type Update = { state: TaskState; text?: string } | { output: unknown };

/** What one run event tells an A2A client (undefined: nothing); `seen` is what earlier events told. */
function eventUpdate(e: RunEventJson, seen: { working: boolean; error: string | undefined }): Update | undefined {
  const data = (e.data ?? {}) as { status?: string; text?: string; name?: string; message?: string; output?: unknown; retry?: { reason?: string } };
  const working = TaskState.TASK_STATE_WORKING;
  switch (e.type) {
    case "status": {
      const state = data.status ? STATE[data.status] : undefined;
      if (state === undefined || state === TaskState.TASK_STATE_SUBMITTED) return undefined;
      if (state === working) {
        if (data.retry) return { state, text: `Retrying: ${data.retry.reason ?? "a transient error"}` };
        if (seen.working) return undefined;
        seen.working = true;
        return { state };
      }
      return { state, text: state === TaskState.TASK_STATE_FAILED ? (seen.error ?? "The run failed.") : state === TaskState.TASK_STATE_CANCELED ? "The run was canceled." : undefined };
    }
    case "error":
      seen.error = data.message;
      return undefined;
    case "text":
      return data.text ? { state: working, text: data.text } : undefined;
    case "tool_call":
      return { state: working, text: `Calling ${data.name ?? "a tool"}` };
    case "resumed":
      return { state: working, text: "Resumed after an interruption" };
    case "output":
      return { output: data.output };
    default:
      return undefined;
  }
}

/** A run as an A2A task: its state, its output as the artifact, the input as the user's message, the run's price in metadata. */
export function taskOf(run: RunDetail): Task {
  const contextId = contextOf(run);
  const at = run.finishedAt ?? run.startedAt ?? run.createdAt;
  const state = STATE[run.status] ?? TaskState.TASK_STATE_UNSPECIFIED;
  const note = run.status === "FAILED" ? (run.error?.message ?? "The run failed.") : run.status === "CANCELED" ? "The run was canceled." : undefined;
  return {
    id: run.id,
    contextId,
    status: status(state, at, note === undefined ? undefined : message(`${run.id}:status`, Role.ROLE_AGENT, run.id, contextId, [textPart(note)])),
    artifacts: run.status === "SUCCEEDED" ? [outputArtifact(run.output)] : [],
    history: [message(`${run.id}:input`, Role.ROLE_USER, run.id, contextId, [dataPart(run.input)])],
    metadata: { agora: { runId: run.id, agent: run.agent, version: run.agentVersion, status: run.status, priceMicros: run.priceMicros, error: run.error } },
  };
}
