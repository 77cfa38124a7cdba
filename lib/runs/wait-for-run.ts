import { db } from "@/lib/db/client";
import { ApiError } from "@/lib/http/errors";
import { getRun, type RunDetail } from "./run-queries";
import { runNotifications } from "./run-notifications";
import { TERMINAL_STATUSES } from "./schemas";

// Waiting for a run to end, in whichever process executes it: woken by the run's
// event signal (lib/runs/run-notifications.ts; the finishing transaction writes the
// closing events), with the same short re-read as the event stream for a lost signal.

const RECHECK_MS = 1_000;

/**
 * The run once it has ended (SUCCEEDED, FAILED or CANCELED), read as GET /api/v1/runs/:id
 * reads it. `signal` stops the wait (rejecting with its reason), never the run.
 * `onActivity`: called with the run's status each time it wrote new events and has not ended.
 */
export async function waitForRunEnd(workspaceId: string, runId: string, o: { signal: AbortSignal; onActivity?: (status: string) => void }): Promise<RunDetail> {
  const { signal } = o;
  // Subscribed before the first read, so an end between the read and the wait still wakes it.
  const subscription = await runNotifications().subscribe(runId);
  try {
    let woken = false;
    for (;;) {
      signal.throwIfAborted();
      const run = await db.run.findFirst({ where: { id: runId, workspaceId }, select: { status: true } });
      if (!run) throw new ApiError("not_found", "No such run in this workspace.");
      if (TERMINAL_STATUSES.has(run.status)) return await getRun(workspaceId, runId);
      if (woken) o.onActivity?.(run.status);
      woken = await subscription.next(RECHECK_MS, signal);
    }
  } finally {
    subscription.close();
  }
}
