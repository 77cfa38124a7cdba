import { describe, expect, it, vi } from "vitest";
import { NextRequest } from "next/server";
import { GET as healthRoute } from "@/app/api/health/route";
import { GET as metricsRoute } from "@/app/api/metrics/route";
import { GET as runRoute } from "@/app/api/v1/runs/[id]/route";
import { callRoute, sessionCookie } from "../helpers/call-route";
import { createUser } from "../helpers/factories";
import { acceptRun } from "@/lib/runs/accept-run";
import { runToEnd, scannerAnswer, scannerInput, testExecutor } from "../helpers/run-harness";
import { fakeAnthropicForFile } from "../helpers/lifecycle";

// SPEC §11's metrics and detailed health, protected by METRICS_TOKEN.

const TOKEN = "metrics-test-token-0123456789";
process.env.METRICS_TOKEN = TOKEN;
const fake = await fakeAnthropicForFile();

const scrape = async (authorization?: string) => {
  const res = await metricsRoute(new NextRequest("http://127.0.0.1:3999/api/metrics", { headers: authorization ? { authorization } : {} }));
  return { status: res.status, text: await res.text() };
};
/** The value of one series in Prometheus text format (0 when absent). */
const value = (text: string, series: string) => Number(text.split("\n").find((l) => l.startsWith(series + " "))?.split(" ")[1] ?? 0);

describe("/api/metrics", () => {
  it("counts a finished run in agora_runs_total and its tokens in agora_llm_tokens_total, by label", async () => {
    const before = (await scrape(`Bearer ${TOKEN}`)).text;
    const owner = await createUser("metrics", { tier: "enterprise" });
    fake.script({ kind: "message", blocks: [{ type: "text", text: scannerAnswer() }], usage: { input: 1_234, output: 56 } });
    const { run } = await runToEnd(testExecutor({ anthropicUrl: fake.url }), owner.principal);
    expect(run.status).toBe("SUCCEEDED");
    await callRoute(runRoute, { path: `/api/v1/runs/${run.id}`, params: { id: run.id }, headers: { cookie: await sessionCookie(owner.user.id) } });
    const { status, text } = await scrape(`Bearer ${TOKEN}`);
    expect(status).toBe(200);
    const runs = 'agora_runs_total{agent="security-scanner",status="SUCCEEDED"}';
    expect(value(text, runs) - value(before, runs)).toBe(1);
    const input = 'agora_llm_tokens_total{model="claude-sonnet-5-5",kind="input"}';
    expect(value(text, input) - value(before, input)).toBe(1_234);
    expect(value(text, 'agora_llm_tokens_total{model="claude-sonnet-5-5",kind="output"}') - value(before, 'agora_llm_tokens_total{model="claude-sonnet-5-5",kind="output"}')).toBe(56);
    expect(value(text, 'agora_llm_requests_total{provider="anthropic",status="ok"}')).toBeGreaterThanOrEqual(1);
    expect(text).toContain('agora_ledger_transfers_total{kind="PENDING"}');
    // Route templates, not URLs: the run id became [id].
    expect(text).toContain('agora_http_requests_total{route="/api/v1/runs/[id]",method="GET",status="200"}');
    expect(text).not.toContain(run.id);
    expect(text).toContain("agora_circuit_breaker_state");
    expect(text).toContain("agora_outbox_pending");
    expect(text).toContain("process_cpu_user_seconds_total");
  });

  it("the job engine: queue depth and work in hand per queue, accepted → started latency, job failures", async () => {
    const owner = await createUser("metrics-queue", { tier: "pro" });
    const before = (await scrape(`Bearer ${TOKEN}`)).text;
    const stalled = testExecutor({ works: false }); // its runs wait in its queue
    await acceptRun(owner.principal, { agent: "security-scanner", input: scannerInput }, { executor: stalled });
    const queue = (await stalled.config.jobs()).queues.priority;
    // pg-boss counts per supervision pass (a second in tests): the waiting run shows up within a few.
    await vi.waitFor(async () => expect(value((await scrape(`Bearer ${TOKEN}`)).text, `agora_job_queue_depth{queue="${queue}"}`)).toBe(1), { timeout: 15_000, interval: 200 });
    await runToEnd(testExecutor(), owner.principal);
    const text = (await scrape(`Bearer ${TOKEN}`)).text;
    expect(value(text, "agora_run_queue_latency_seconds_count") - value(before, "agora_run_queue_latency_seconds_count")).toBeGreaterThanOrEqual(1);
    expect(text).toContain(`agora_job_active{queue="${queue}"} 0`);
    expect(text).toContain("agora_job_failures_total");
    expect(text).toContain("agora_runs_resumed_total");
  });

  it("without the token, or with a wrong one → 401", async () => {
    expect((await scrape()).status).toBe(401);
    expect((await scrape("Bearer wrong-token-wrong-token")).status).toBe(401);
  });
});

describe("/api/health", () => {
  it("detailed health for the metrics token or an admin; 401 anonymous, 403 member", async () => {
    const call = (headers: Record<string, string>) => callRoute(healthRoute as never, { path: "/api/health", headers });
    const byToken = await call({ authorization: `Bearer ${TOKEN}` });
    expect(byToken.status).toBe(200);
    expect(byToken.body).toMatchObject({ status: "ok", database: { ok: true }, rateLimits: { backend: "postgres", ok: true }, ledger: { ok: true, violations: [] }, provider: { breaker: "closed" } });
    expect((await call({})).status).toBe(401);
    const member = await createUser("health-member");
    expect((await call({ cookie: await sessionCookie(member.user.id) })).status).toBe(403);
  });
});
