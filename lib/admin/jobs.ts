import { recordAudit } from "@/lib/audit/record-audit";
import type { Principal } from "@/lib/auth/principal";
import { env } from "@/lib/env";
import { ApiError } from "@/lib/http/errors";
import { jobBoss } from "@/lib/jobs/boss";
import { BACKGROUND_JOBS } from "@/lib/jobs/registry";

// The scheduled jobs (lib/jobs/registry.ts) as the admin console lists them,
// and "run now": the job is queued on the job engine at once, as its schedule
// would queue it (the same stately queue: never a second one waiting), and
// run by whichever process works that queue. For an operator who cannot wait
// for the next Monday's payouts, or the next minute's maturation.

/** Every scheduled job: its name, what it does, when it runs and whether this deployment runs it. */
export function scheduledJobs() {
  const e = env();
  return BACKGROUND_JOBS.map((j) => ({ name: j.name, what: j.what, cron: j.cron, enabled: !j.enabled || j.enabled(e) }));
}

/** Queues a scheduled job now (audit-logged): 404 for a name not in the registry, 409 when it is off here or already waiting. */
export async function runJobNow(actor: Extract<Principal, { kind: "user" }>, name: string, ip: string | null) {
  const job = scheduledJobs().find((j) => j.name === name);
  if (!job) throw new ApiError("not_found", `No scheduled job '${name}'.`);
  if (!job.enabled) throw new ApiError("conflict", `'${name}' is off on this deployment (see its configuration in README).`);
  const boss = await jobBoss();
  if (!(await boss.getQueue(name))) throw new ApiError("conflict", `'${name}' has no queue yet: no process has started the job engine's schedules.`);
  const id = await boss.send(name, null);
  if (!id) throw new ApiError("conflict", `'${name}' is already waiting to run.`);
  await recordAudit({ action: "job.run", actorUserId: actor.userId, target: name, metadata: { jobId: id }, ip });
  return { name, jobId: id, queuedAt: new Date().toISOString() };
}
