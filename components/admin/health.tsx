"use client";

import { useMutation, useQuery } from "@tanstack/react-query";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { KeyValueList } from "@/components/ui/key-value-list";
import { QueryStates } from "@/components/ui/query-states";
import { apiFetch } from "@/components/api/fetch-json";
import type { adminHealth, adminLedgerCheck } from "@/lib/admin/health";
import { adminSend } from "./admin-fetch";
import { countOf } from "@/components/ui/format";

type Health = Awaited<ReturnType<typeof adminHealth>>;
type Ledger = Awaited<ReturnType<typeof adminLedgerCheck>>;

export function AdminHealth() {
  const q = useQuery({ queryKey: ["admin", "health"], queryFn: () => apiFetch<Health>("/api/v1/admin/health"), refetchInterval: 10_000 });
  const check = useMutation({ mutationFn: () => adminSend<Ledger>("/api/v1/admin/health/ledger", "POST") });
  return (
    <div className="space-y-6">
      <QueryStates query={q} noun="health">
        {(h) => (
          <div className="grid gap-6 md:grid-cols-2" data-testid="admin-health">
            <Card title="Database">
              <KeyValueList
                rows={[
                  ["Reachable", h.database.ok ? "yes" : "NO"],
                  ["Latency", h.database.latencyMs === null ? "—" : `${h.database.latencyMs} ms`],
                  ["Migrations applied", String(h.migrations.applied)],
                  ["Migrations pending", h.migrations.pending.length ? h.migrations.pending.join(", ") : "none"],
                ]}
              />
            </Card>
            <Card title="Runs and providers">
              <KeyValueList
                rows={[
                  ["Provider", h.provider.name],
                  ["Circuit breaker", h.provider.breaker],
                  ["Runs past their lease", String(h.runsPastLease)],
                  ["Rate-limit store", `${h.rateLimits.backend} · ${h.rateLimits.ok ? `ok (${h.rateLimits.latencyMs} ms)` : "FAILING"}`],
                ]}
              />
            </Card>
            <Card title="Job engine" description="Queues (waiting · running · failed) and the processes working them.">
              {h.jobs ? (
                <div className="space-y-4">
                  <KeyValueList rows={h.jobs.queues.map((q) => [q.name, `${countOf(q.waiting, "waiting")} · ${q.active} running · ${q.failed} failed`] as [string, string])} />
                  <KeyValueList rows={h.jobs.workers.map((w) => [`${w.role} · ${w.host}:${w.pid}`, w.executesRuns ? "executes runs" : "accepts and streams (executes no runs)"] as [string, string])} />
                  {!h.jobs.workers.some((w) => w.executesRuns) && (
                    <Alert tone="error">No worker is running: runs stay queued until one starts (`npm run worker`, or a process with AGORA_ROLE=all).</Alert>
                  )}
                </div>
              ) : (
                <Alert tone="error">The job engine cannot be reached: runs are not being started.</Alert>
              )}
            </Card>
            <ScheduledJobs jobs={h.scheduled} />
            <Card title="Outbox">
              <KeyValueList
                rows={[
                  ["Pending", String(h.outbox.pending)],
                  ["Oldest pending", h.outbox.oldestPendingAgeSeconds === null ? "—" : `${h.outbox.oldestPendingAgeSeconds} s`],
                  ["Gave up (see lastError)", String(h.outbox.gaveUp)],
                ]}
              />
            </Card>
            <Card title="Ledger invariants" description="The ledger's invariants (SPEC §4, and the market's of §13), checked over every transfer.">
              <Button pending={check.isPending} onClick={() => check.mutate()}>
                Run the ledger check
              </Button>
              {check.error && <Alert tone="error" className="mt-3">{check.error.message}</Alert>}
              {check.data && (
                <Alert tone={check.data.ok ? "success" : "error"} className="mt-3">
                  {check.data.ok ? `All invariants hold (${check.data.tookMs} ms).` : `${countOf(check.data.violations.length, "violation")}: ${JSON.stringify(check.data.violations).slice(0, 500)}`}
                </Alert>
              )}
            </Card>
          </div>
        )}
      </QueryStates>
    </div>
  );
}

/** The scheduled jobs (lib/jobs/registry.ts), each with "Run now": queued on the job engine at once. */
function ScheduledJobs({ jobs }: { jobs: Health["scheduled"] }) {
  const run = useMutation({ mutationFn: (name: string) => adminSend<{ name: string }>(`/api/v1/admin/jobs/${encodeURIComponent(name)}`, "POST") });
  return (
    <Card title="Scheduled jobs" description="When each runs (cron, UTC). Run now queues it at once on the job engine.">
      <ul className="divide-y divide-gray-100" aria-label="Scheduled jobs">
        {jobs.map((j) => (
          <li key={j.name} className="flex flex-wrap items-center justify-between gap-2 py-2">
            <div className="min-w-0">
              <p className="font-mono text-sm">{j.name}</p>
              <p className="text-xs text-gray-600">
                {j.cron}
                {j.enabled ? "" : " · off on this deployment"} · {j.what}
              </p>
            </div>
            <Button variant="secondary" pending={run.isPending && run.variables === j.name} disabled={!j.enabled} onClick={() => run.mutate(j.name)} aria-label={`Run ${j.name} now`}>
              Run now
            </Button>
          </li>
        ))}
      </ul>
      {run.error && <Alert tone="error" className="mt-3">{run.error.message}</Alert>}
      {run.data && <Alert tone="success" className="mt-3">{run.data.name} is queued.</Alert>}
    </Card>
  );
}
