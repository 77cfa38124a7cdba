import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { assertCan } from "@/lib/auth/permissions";
import type { Principal } from "@/lib/auth/principal";
import { validationError } from "@/lib/http/errors";
import { acceptRun } from "@/lib/runs/accept-run";
import { runExecutor } from "@/lib/runs/run-executor-instance";
import type { RunDetail } from "@/lib/runs/run-queries";
import { idempotencyKeySchema } from "@/lib/runs/schemas";
import { waitForRunEnd } from "@/lib/runs/wait-for-run";
import { toolError, toolResult } from "./tool-result";

// tools/call of a package: a normal run (SPEC §3), accepted as POST /api/v1/runs accepts
// one — hold, metering, limits, charge at the end — and waited for. The run belongs to
// the workspace like any API run: a client that gives up (cancels, times out, closes
// the connection) stops the wait, not the run, which ends and is charged as usual.

/** `_meta` key of a tools/call carrying an idempotency key: a retried call with it answers with the first call's run. */
export const IDEMPOTENCY_META = "agora/idempotencyKey";

/** What the caller is told of the run besides its output. */
const runMeta = (run: RunDetail) => ({ "agora/runId": run.id, "agora/status": run.status, "agora/priceMicros": run.priceMicros, "agora/agentVersion": run.agentVersion });

export async function callPackageTool(
  principal: Principal,
  call: { name: string; arguments?: Record<string, unknown>; meta?: Record<string, unknown> },
  o: { requestId: string; signal: AbortSignal; progress?: (message: string) => void },
): Promise<CallToolResult> {
  let run: RunDetail | undefined;
  try {
    assertCan(principal, "runs.create");
    const key = idempotencyKeySchema.optional().safeParse(call.meta?.[IDEMPOTENCY_META]);
    if (!key.success) throw validationError(key.error, `_meta.${IDEMPOTENCY_META}`);
    ({ run } = await acceptRun(principal, { agent: call.name, input: call.arguments ?? {}, idempotencyKey: key.data }, { executor: runExecutor() }));
    const runId = run.id;
    o.progress?.(`Run ${runId} accepted.`);
    const ended = await waitForRunEnd(principal.workspace.id, runId, { signal: o.signal, onActivity: (status) => o.progress?.(`Run ${runId} ${status.toLowerCase()}.`) });
    if (ended.status === "SUCCEEDED") return toolResult(ended.output, runMeta(ended));
    const why = ended.error?.message || (ended.status === "CANCELED" ? "The run was canceled." : "The run failed.");
    return { isError: true, content: [{ type: "text", text: `Run ${ended.id} ${ended.status.toLowerCase()}: ${why}` }], _meta: { ...runMeta(ended), "agora/error": ended.error } };
  } catch (err) {
    return toolError(err, { requestId: o.requestId, argumentsPrefix: "input", meta: run && { "agora/runId": run.id } });
  }
}
