import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import * as runRoute from "@/app/api/v1/runs/[id]/route";
import { deploymentAgent } from "@/lib/agents/deployment-agent/package";
import { securityScanner } from "@/lib/agents/security-scanner/package";
import { workflowOrchestrator } from "@/lib/agents/workflow-orchestrator/package";
import { getDb } from "@/lib/db/client";
import { acceptRun } from "@/lib/runs/accept-run";
import { cancelRun } from "@/lib/runs/cancel-run";
import { startFakeAnthropic, type FakeAnthropic } from "../fakes/anthropic-server";
import { callRoute, sessionCookie } from "../helpers/call-route";
import { createUser } from "../helpers/factories";
import { loadRun, runToEnd, scannerAnswer, scannerInput, testExecutor, waitForStreamedText } from "../helpers/run-harness";

// Workflow Orchestrator: child runs are full runs (accepted, priced, finished like
// any other), linked to the parent, limited to depth 3, canceled with the parent.

let fake: FakeAnthropic;
let owner: Awaited<ReturnType<typeof createUser>>;
beforeAll(async () => {
  fake = await startFakeAnthropic();
  owner = await createUser("orchestrator");
});
afterAll(() => fake.close());

const children = (parentRunId: string) => getDb().run.findMany({ where: { parentRunId }, orderBy: { createdAt: "asc" } });

const nest = (levels: number): Record<string, unknown> =>
  levels === 0 ? { agent: "security-scanner", input: scannerInput } : { agent: "workflow-orchestrator", input: { goal: `level ${levels}`, steps: [nest(levels - 1)] } };

describe("Workflow Orchestrator", () => {
  it("offline: runs each step as a child run, linked, priced and charged like any run", async () => {
    const { run } = await runToEnd(testExecutor(), owner.principal, workflowOrchestrator.exampleInput, "workflow-orchestrator");
    expect(run.status).toBe("SUCCEEDED");
    const out = workflowOrchestrator.output.parse(run.output);
    const kids = await children(run.id);
    expect(kids.map((k) => [k.agentSlug, k.status, k.depth, k.workspaceId, k.userId])).toEqual([
      ["security-scanner", "SUCCEEDED", 1, owner.workspace.id, owner.user.id],
      ["deployment-agent", "SUCCEEDED", 1, owner.workspace.id, owner.user.id],
    ]);
    expect(out.children.map((c) => c.runId)).toEqual(kids.map((k) => k.id));
    // Each child pays its own package's base fee (the offline model has no token cost to multiply).
    const fees = [securityScanner.baseFeeMicros, deploymentAgent.baseFeeMicros];
    expect(kids.map((k) => k.priceMicros)).toEqual(fees);
    expect(out.children.map((c) => c.priceMicros)).toEqual(fees.map(Number));
    expect(out.result).toMatch(/^2 of 2 step\(s\) succeeded/);
    expect((kids[0]!.output as { findings: { rule: string }[] }).findings.map((f) => f.rule)).toContain("SECRET-AWS-SECRET-KEY");
  });

  it("the run API shows the parent with its tree of children, and each child with its parent", async () => {
    const { run } = await runToEnd(testExecutor(), owner.principal, { goal: "nested", steps: [nest(1)] }, "workflow-orchestrator");
    const cookie = await sessionCookie(owner.user.id);
    const res = await callRoute(runRoute.GET, { params: { id: run.id }, headers: { cookie } });
    const body = res.body as unknown as { parentRunId: string | null; children: { id: string; agent: string; status: string; depth: number; parentRunId: string }[] };
    expect(body.parentRunId).toBeNull();
    expect(body.children.map((c) => [c.agent, c.depth])).toEqual([
      ["workflow-orchestrator", 1],
      ["security-scanner", 2],
    ]);
    expect(body.children[1]!.parentRunId).toBe(body.children[0]!.id);
    const child = await callRoute(runRoute.GET, { params: { id: body.children[1]!.id }, headers: { cookie } });
    expect((child.body as unknown as { parentRunId: string }).parentRunId).toBe(body.children[0]!.id);
  });

  it("stops at depth 3: the fourth level's run_agent fails with a clear error, and the levels above report it", async () => {
    const { run } = await runToEnd(testExecutor(), owner.principal, { goal: "level 4", steps: [nest(3)] }, "workflow-orchestrator");
    const chain = [run];
    for (let i = 0; i < 3; i++) chain.push((await children(chain.at(-1)!.id))[0]!);
    expect(chain.map((r) => [r.depth, r.agentSlug, r.status])).toEqual([
      [0, "workflow-orchestrator", "SUCCEEDED"],
      [1, "workflow-orchestrator", "SUCCEEDED"],
      [2, "workflow-orchestrator", "SUCCEEDED"],
      [3, "workflow-orchestrator", "FAILED"],
    ]);
    expect(chain[3]!.errorCode).toBe("tool_error");
    expect(chain[3]!.errorMessage).toMatch(/at most 3 levels deep/);
    expect(await children(chain[3]!.id)).toEqual([]);
    expect(workflowOrchestrator.output.parse(chain[2]!.output).result).toMatch(/^0 of 1 step/);
  });

  it("a step with bad input fails the run with the child's validation error; no child run is created", async () => {
    const { run } = await runToEnd(testExecutor(), owner.principal, { goal: "bad", steps: [{ agent: "ticket-resolver", input: { body: "no subject" } }] }, "workflow-orchestrator");
    expect(run).toMatchObject({ status: "FAILED", errorCode: "tool_error" });
    expect(run.errorMessage).toContain("input.subject");
    expect(await children(run.id)).toEqual([]);
  });

  it("offline without steps: proposes agents that fit the goal", async () => {
    const { run } = await runToEnd(testExecutor(), owner.principal, { goal: "scan our code for leaked secrets and lint the kubernetes manifest" }, "workflow-orchestrator");
    const out = workflowOrchestrator.output.parse(run.output);
    expect(out.children).toEqual([]);
    expect(out.plan.map((p) => p.agent)).toEqual(expect.arrayContaining(["security-scanner", "deployment-agent"]));
    expect(out.plan.map((p) => p.agent)).not.toContain("workflow-orchestrator");
  });

  it("with the SDK: the model's run_agent call starts a child that runs on the model too", async () => {
    fake.script(
      { kind: "message", blocks: [{ type: "tool_use", name: "run_agent", input: { agent: "security-scanner", input: scannerInput } }] },
      { kind: "message", blocks: [{ type: "text", text: scannerAnswer() }] }, // the child's answer
      { kind: "message", blocks: [{ type: "text", text: JSON.stringify({ plan: [{ step: 1, agent: "security-scanner", why: "scan" }], children: [], result: "Done." }) }] },
    );
    const { run, events } = await runToEnd(testExecutor({ anthropicUrl: fake.url }), owner.principal, { goal: "scan" }, "workflow-orchestrator");
    expect(run.status).toBe("SUCCEEDED");
    const [kid] = await children(run.id);
    expect(kid).toMatchObject({ agentSlug: "security-scanner", status: "SUCCEEDED", provider: "anthropic" });
    const result = events.find((e) => e.type === "tool_result")!.data as { result: { runId: string; status: string } };
    expect(result.result).toMatchObject({ runId: kid!.id, status: "SUCCEEDED" });
  });

  it("canceling the parent cancels the child it is waiting for", async () => {
    fake.script(
      { kind: "message", blocks: [{ type: "tool_use", name: "run_agent", input: { agent: "security-scanner", input: scannerInput } }] },
      { kind: "stall", blocks: [{ type: "text", text: "child working" }] },
    );
    const executor = testExecutor({ anthropicUrl: fake.url });
    const parentId = (await acceptRun(owner.principal, { agent: "workflow-orchestrator", input: { goal: "scan slowly" } }, { executor })).run.id;
    const kid = await vi.waitFor(async () => {
      const started = (await children(parentId))[0];
      expect(started?.startedAt).toBeTruthy();
      return started!;
    }, { timeout: 10_000, interval: 20 });
    await waitForStreamedText(kid.id); // the child's stream is open
    await cancelRun(owner.workspace.id, parentId, executor);
    await executor.settled();
    expect((await loadRun(parentId)).run.status).toBe("CANCELED");
    expect((await loadRun(kid.id)).run).toMatchObject({ status: "CANCELED", errorCode: "canceled" });
  });
});
