import { SendMessageRequest, TaskState, type Message } from "@a2a-js/sdk";
import { db } from "@/lib/db/client";
import type { Prisma } from "@/lib/generated/prisma/client";
import type { OutboundPolicy } from "@/lib/http/outbound";
import { zodIssues } from "@/lib/http/errors";
import { compiledSchema } from "@/lib/packages/json-schema";
import type { BillableEvent } from "@/lib/packages/manifest";
import { RunFailure } from "@/lib/runs/model-output";
import type { RunEventLog } from "@/lib/runs/run-event-log";
import { a2aSession, type A2aSession } from "./a2a";
import type { RemoteVersion } from "./remote-versions";
import { liveSecrets } from "./secrets";

// A run of a REMOTE package (issue 19): the input goes to the provider's agent
// as the data part of one A2A message over a stream (SendStreamingMessage);
// the stream's status messages become the run's text, its billable events are
// metered, its last data artifact is the output (validated against the
// version's output schema). The manifest's timeoutSeconds is the deadline;
// at the deadline, or when the run is canceled, the task is canceled at the
// provider (CancelTask). Every failure the provider causes ends the run FAILED
// with cause `provider` (free for the consumer, nothing earned).

/** The status-update metadata key a provider reports billable events under. */
export const BILLABLE_EVENTS_KEY = "agora/billable-events";

const fail = (code: string, message: string, details?: unknown) => new RunFailure(code, message, details, "provider");

type Recorded = { name: string; count: number; chargedCount: number; unitPriceMicros: number; amountMicros: number };

/**
 * The billable events of one run: `[{ "name": "page_crawled", "count": 3, "id"?: "evt_1" }]`
 * in a status update's metadata. Each name must be declared by the version; the
 * count beyond the event's maxPerRun (over the whole run) is recorded uncharged,
 * so the total never passes the hold; a repeated `id` is ignored.
 */
export class BillableMeter {
  micros = 0n;
  private readonly counts = new Map<string, number>();
  private readonly seen = new Set<string>();

  constructor(private readonly declared: BillableEvent[]) {}

  record(metadata: Record<string, unknown> | undefined): Recorded[] {
    const reported = metadata?.[BILLABLE_EVENTS_KEY];
    if (reported === undefined) return [];
    if (!Array.isArray(reported)) throw fail("remote_protocol_error", `The provider's "${BILLABLE_EVENTS_KEY}" must be a list of { name, count }.`);
    return reported.flatMap((e: unknown, i): Recorded[] => {
      const { name, count, id } = (e ?? {}) as { name?: unknown; count?: unknown; id?: unknown };
      const event = this.declared.find((d) => d.name === name);
      if (!event) throw fail("remote_protocol_error", `The provider reported a billable event its manifest does not declare (${BILLABLE_EVENTS_KEY}[${i}].name: ${JSON.stringify(name)}).`);
      if (typeof count !== "number" || !Number.isInteger(count) || count < 1) throw fail("remote_protocol_error", `A billable event's count must be a whole number of at least 1 (${BILLABLE_EVENTS_KEY}[${i}].count).`);
      if (typeof id === "string" && (this.seen.has(id) || !this.seen.add(id))) return [];
      const before = this.counts.get(event.name) ?? 0;
      const chargedCount = Math.max(0, Math.min(count, event.maxPerRun - before));
      this.counts.set(event.name, before + count);
      const amountMicros = chargedCount * event.priceMicros;
      this.micros += BigInt(amountMicros);
      return [{ name: event.name, count, chargedCount, unitPriceMicros: event.priceMicros, amountMicros }];
    });
  }
}

const textOf = (message: Message | undefined) =>
  (message?.parts ?? []).map((p) => (p.content?.$case === "text" ? p.content.value : "")).join("");

const TERMINAL = new Set([TaskState.TASK_STATE_COMPLETED, TaskState.TASK_STATE_FAILED, TaskState.TASK_STATE_CANCELED, TaskState.TASK_STATE_REJECTED]);

/** Why a call to the provider failed, from what the outbound fetch saw (the SDK hides a 401's status). */
function classify(err: unknown, session: A2aSession): RunFailure {
  const { refused, status } = session.trace;
  if (refused) return fail("endpoint_refused", `Agora refused to call the provider's endpoint: ${refused.message}`);
  if (status === 401 || status === 403) return fail("remote_auth_rejected", "The provider refused Agora's signature or credentials.", { status });
  if (status !== undefined && status >= 300) return fail("remote_http_error", `The provider's endpoint answered HTTP ${status}.`, { status });
  if (status === undefined) return fail("remote_http_error", `The provider's endpoint could not be reached: ${(err as Error).message}`);
  return fail("remote_protocol_error", `The provider's answer broke the A2A protocol: ${(err as Error).message}`);
}

/** Best effort: cancels a run's task at its provider (Run.remoteTaskId), e.g. when a resumed attempt cannot take the run up again. */
export async function cancelRemoteTask(runId: string, version: RemoteVersion, policy?: OutboundPolicy): Promise<void> {
  const row = await db.run.findUnique({ where: { id: runId }, select: { remoteTaskId: true } });
  if (!row?.remoteTaskId) return;
  const session = await a2aSession(version.agentCard, await liveSecrets(version.providerId), policy);
  await cancelTask(session, row.remoteTaskId);
}

const cancelTask = (session: A2aSession, id: string) =>
  session.client.cancelTask({ id, tenant: "", metadata: undefined }, { serviceParameters: session.auth, signal: AbortSignal.timeout(5_000) }).then(
    () => undefined,
    () => undefined,
  );

export type RemoteRun = {
  run: { id: string; input: unknown };
  version: RemoteVersion;
  events: RunEventLog;
  /** The executor's: aborted on a cancel, the platform's timeout or shutdown. */
  signal: AbortSignal;
  /** Whether the executor's signal was aborted by the platform's run timeout. */
  timedOut: () => boolean;
  meter: BillableMeter;
  policy?: OutboundPolicy;
};

/** Runs a REMOTE version to its output, or throws (RunFailure with cause provider, or the executor's abort reason). */
export async function runRemote({ run, version, events, signal: runSignal, timedOut, meter, policy }: RemoteRun): Promise<unknown> {
  const session = await a2aSession(version.agentCard, await liveSecrets(version.providerId), policy);
  const deadline = AbortSignal.timeout(version.remote.timeoutSeconds * 1000);
  const signal = AbortSignal.any([runSignal, deadline]);
  let taskId: string | undefined;
  let state: TaskState | undefined;
  let output: { value: unknown } | undefined;
  const params = SendMessageRequest.fromJSON({
    message: { messageId: run.id, role: "ROLE_USER", parts: [{ data: run.input, mediaType: "application/json" }], metadata: { "agora/run-id": run.id } },
    configuration: { acceptedOutputModes: ["application/json"] },
  });
  if (version.remote.skillId) params.metadata = { "agora/skill-id": version.remote.skillId };

  const onTask = async (id: string) => {
    taskId = id;
    events.add("status", { status: "RUNNING", remoteTaskId: id });
    events.flushSoon();
    await db.run.update({ where: { id: run.id }, data: { remoteTaskId: id } }); // a cancel from elsewhere can reach it
  };
  try {
    try {
      for await (const ev of session.client.sendMessageStream(params, { serviceParameters: session.auth, signal })) {
        const p = ev.payload;
        if (p?.$case === "task") {
          if (!taskId) await onTask(p.value.id);
          state = p.value.status?.state;
        } else if (p?.$case === "statusUpdate") {
          if (!taskId) await onTask(p.value.taskId);
          state = p.value.status?.state;
          const billed = meter.record(p.value.metadata);
          if (billed.length) events.add("status", { status: "RUNNING", billableEvents: billed as Prisma.InputJsonValue });
          const text = textOf(p.value.status?.message);
          if (text) events.appendText(text.endsWith("\n") ? text : `${text}\n`);
          events.flushSoon();
        } else if (p?.$case === "artifactUpdate") {
          const data = p.value.artifact?.parts.findLast((part) => part.content?.$case === "data")?.content;
          if (data?.$case === "data") output = { value: data.value };
        } else if (p?.$case === "message") {
          throw fail("remote_protocol_error", "The provider answered with a message instead of a task; Agora runs packages as A2A tasks.");
        }
        if (state !== undefined && TERMINAL.has(state)) break;
        if (state === TaskState.TASK_STATE_INPUT_REQUIRED || state === TaskState.TASK_STATE_AUTH_REQUIRED) {
          throw fail("remote_protocol_error", "The provider asked for more input; a remote package must finish from the run's input alone.");
        }
      }
    } catch (err) {
      if (signal.aborted) {
        if (runSignal.aborted && !timedOut()) throw runSignal.reason;
        const within = deadline.aborted ? `${version.remote.timeoutSeconds} seconds (the package's time limit)` : "the run's time limit";
        throw fail("remote_timeout", `The provider did not finish within ${within}.`);
      }
      throw err instanceof RunFailure ? err : classify(err, session);
    }
  } catch (err) {
    if (taskId && (state === undefined || !TERMINAL.has(state))) {
      await cancelTask(session, taskId);
    }
    throw err;
  }
  if (state !== TaskState.TASK_STATE_COMPLETED) {
    const message = state === undefined ? "The provider's stream ended before its task finished." : `The provider's task ended ${TaskState[state]?.replace("TASK_STATE_", "").toLowerCase() ?? state}.`;
    throw fail(state === undefined ? "remote_protocol_error" : "remote_failed", message);
  }
  if (!output) throw fail("remote_invalid_output", "The provider's task completed without a data artifact (the output).");
  const parsed = compiledSchema(`${version.id}:output`, version.outputSchema).safeParse(output.value);
  if (!parsed.success) throw fail("remote_invalid_output", "The provider's output does not match the package's output schema.", { issues: zodIssues(parsed.error, "output") });
  return output.value;
}
