import { randomUUID } from "node:crypto";
import type pg from "pg";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { countPackageRuns } from "@/lib/agents/package-counts";
import { appPool, getDb } from "@/lib/db/client";
import { sqlTransaction } from "@/lib/db/sql";
import { BACKGROUND_JOBS } from "@/lib/jobs/registry";
import { modelPrice } from "@/lib/llm/price-list";
import { emptyUsage } from "@/lib/llm/provider";
import { acceptRun } from "@/lib/runs/accept-run";
import { finishRun, type FinishableRun } from "@/lib/runs/finish-run";
import { createUser, setWallet } from "../helpers/factories";
import { scannerInput, testExecutor } from "../helpers/run-harness";

// A run's end on the worker side (issue 18): one statement, the RunSlot given
// back once, and the package counters off the run's path.

const terms = { baseFeeMicros: 0n, priceMultiplierBps: 10_000 };
const usage = { inputTokens: 1_000, outputTokens: 200, cacheWriteTokens: 0, cacheReadTokens: 0 };
let owner: Awaited<ReturnType<typeof createUser>>;

beforeAll(async () => {
  owner = await createUser("finish", { tier: "pro" });
  await setWallet(owner.workspace.id, 10_000_000n);
});

/**
 * A run accepted for `owner` that no worker takes (it stays QUEUED). `anthropic`: on that provider (never called), so that
 * a run charged for tokens joins the history quotes read for it, not the offline model's (which costs nothing).
 */
async function queuedRun(opts: { anthropic?: boolean } = {}): Promise<FinishableRun> {
  const executor = testExecutor({ works: false, ...(opts.anthropic ? { anthropicUrl: "http://127.0.0.1:9" } : {}) });
  const { run } = await acceptRun(owner.principal, { agent: "security-scanner", input: scannerInput }, { executor });
  return getDb().run.findUniqueOrThrow({ where: { id: run.id }, select: { id: true, workspaceId: true, apiKeyId: true, agentSlug: true, packageId: true, model: true } });
}

/** Every statement sent on the app's pool while `fn` runs (the job engine's own excepted). */
async function statementsOf(fn: () => Promise<unknown>): Promise<string[]> {
  const sent: string[] = [];
  const wrapped = new WeakSet<pg.PoolClient>();
  const watch = (client: pg.PoolClient) => {
    if (wrapped.has(client)) return;
    wrapped.add(client);
    const query = client.query.bind(client) as (...args: unknown[]) => unknown;
    (client as unknown as { query: unknown }).query = (...args: unknown[]) => {
      const text = typeof args[0] === "string" ? args[0] : (args[0] as { text: string }).text;
      if (!text.includes("pgboss")) sent.push(text.trim());
      return query(...args);
    };
  };
  appPool().on("acquire", watch);
  try {
    await fn();
  } finally {
    appPool().off("acquire", watch);
  }
  return sent;
}

describe("finishing a run", () => {
  it("is one statement and one commit: run, slot, budgets, hold, model cost, usage, billing and closing events", async () => {
    // Priced on a listed model: 1,000 input + 200 output tokens of Claude Haiku 4.5 cost 2,000 micro-USD; with the base fee the price passes the hold.
    const run = { ...(await queuedRun({ anthropic: true })), model: "claude-haiku-4-5" };
    const hold = await getDb().transfer.findFirstOrThrow({ where: { runId: run.id, kind: "PENDING" } });
    await modelPrice(getDb(), run.model); // the price list is cached per process: read before counting
    const sent = await statementsOf(() => finishRun(getDb(), run, { status: "SUCCEEDED", output: { findings: [] }, usage }, { from: ["QUEUED"], terms: { ...terms, baseFeeMicros: hold.amountMicros } }));
    expect(sent.length).toBeLessThanOrEqual(4);
    const commits = sent.filter((t) => /^COMMIT/i.test(t)).length + (sent.some((t) => /^BEGIN/i.test(t)) ? 0 : sent.length);
    expect(commits).toBe(1);

    const ended = await getDb().run.findUniqueOrThrow({ where: { id: run.id }, include: { events: { orderBy: { seq: "asc" } } } });
    expect(ended.status).toBe("SUCCEEDED");
    expect(ended.events.map((e) => [e.seq, e.type])).toEqual([[1, "status"], [2, "output"], [3, "status"], [4, "usage"]]);
    expect(ended.providerCostMicros).toBe(2_000n);
    expect(ended.priceMicros).toBe(hold.amountMicros); // the price, capped at the hold
    const charged = Number(hold.amountMicros);
    expect(ended.events[3]!.data).toMatchObject({ priceMicros: charged, costMicros: 2_000, breakdown: { totalMicros: charged, platformFeeMicros: Math.max(charged - 2_000, 0), absorbedMicros: Math.max(2_000 - charged, 0) } });
    const transfers = await getDb().transfer.findMany({ where: { runId: run.id, kind: { not: "PENDING" } }, select: { kind: true, reason: true, amountMicros: true } });
    expect(transfers).toHaveLength(2);
    expect(transfers).toEqual(expect.arrayContaining([{ kind: "POST_PENDING", reason: "run_charge", amountMicros: hold.amountMicros }, { kind: "POSTED", reason: "model_cost", amountMicros: 2_000n }]));
    const [day] = await getDb().usageDaily.findMany({ where: { workspaceId: owner.workspace.id, model: "claude-haiku-4-5" } });
    expect(day).toMatchObject({ runs: 1, succeeded: 1, inputTokens: 1_000n, outputTokens: 200n, costMicros: 2_000n, priceMicros: hold.amountMicros });
  });

  it("gives a top-level run's slot back exactly once when two finishers race", async () => {
    const [run, other] = [await queuedRun(), await queuedRun()];
    // Two live top-level runs hold two slots.
    await getDb().$executeRaw`INSERT INTO "RunSlot" ("workspaceId", "live") VALUES (${owner.workspace.id}, 2) ON CONFLICT ("workspaceId") DO UPDATE SET "live" = 2`;
    const cancel = { status: "CANCELED" as const, error: { code: "canceled", message: "The run was canceled." }, usage: emptyUsage() };
    const results = await Promise.all([finishRun(getDb(), run, cancel, { from: ["QUEUED"] }), finishRun(getDb(), run, cancel, { from: ["QUEUED"], terms })]);
    expect(results.sort()).toEqual([false, true]);
    const slot = await getDb().runSlot.findUniqueOrThrow({ where: { workspaceId: owner.workspace.id } });
    expect(slot.live).toBe(1); // `other` still holds its slot
    expect(await getDb().transfer.count({ where: { runId: run.id, kind: "VOID_PENDING" } })).toBe(1);
    expect(await getDb().runEvent.count({ where: { runId: run.id, type: "usage" } })).toBe(1);
    await finishRun(getDb(), other, cancel, { from: ["QUEUED"] });
  });
});

describe("package run counts", () => {
  const slug = `count-probe-${randomUUID().slice(0, 8)}`;
  let packageId: string;

  beforeAll(async () => {
    const template = await getDb().agentPackage.findFirstOrThrow({ where: { slug: "security-scanner" } });
    const { name, summary, description, category, capabilities, model, maxOutputTokens, baseFeeMicros } = template;
    const schemas = { inputSchema: template.inputSchema!, outputSchema: template.outputSchema!, exampleInput: template.exampleInput! };
    packageId = (await getDb().agentPackage.create({ data: { slug, version: "1.0.0", status: "SUSPENDED", name, summary, description, category, capabilities, model, maxOutputTokens, baseFeeMicros, ...schemas } })).id;
  });

  afterAll(async () => {
    await getDb().run.deleteMany({ where: { packageId } });
    await getDb().agentPackage.delete({ where: { id: packageId } });
  });

  it("come from the packages.count job, not from finishing runs (which never wait on the package's row)", async () => {
    expect(BACKGROUND_JOBS.find((j) => j.name === "packages.count")?.cron).toBe("* * * * *");
    const runs = await Promise.all(
      [0, 1, 2].map(() =>
        getDb().run.create({
          data: { workspaceId: owner.workspace.id, userId: owner.user.id, packageId, agentSlug: slug, packageVersion: "1.0.0", provider: "offline", model: "claude-haiku-4-5", input: {} },
          select: { id: true, workspaceId: true, apiKeyId: true, agentSlug: true, packageId: true, model: true },
        }),
      ),
    );
    const endings = [{ status: "SUCCEEDED" as const, output: {} }, { status: "SUCCEEDED" as const, output: {} }, { status: "FAILED" as const, error: { code: "provider_error", message: "No." } }];
    // The package's row stays locked while the runs finish: a finish that touched it would wait here until the lock went.
    await sqlTransaction(async (tx) => {
      await tx.query(`SELECT 1 FROM "AgentPackage" WHERE "id" = $1 FOR UPDATE`, [packageId]);
      const finished = Promise.all(runs.map((r, i) => finishRun(getDb(), r, { ...endings[i]!, usage: emptyUsage() }, { from: ["QUEUED"], terms })));
      const waited = new Promise<"waited">((resolve) => setTimeout(() => resolve("waited"), 30_000).unref());
      expect(await Promise.race([finished, waited])).toEqual([true, true, true]);
    });
    expect(await getDb().agentPackage.findUniqueOrThrow({ where: { id: packageId }, select: { runCount: true, successCount: true } })).toEqual({ runCount: 0, successCount: 0 });

    // Another process's job may be counting some of them at the same moment: they are counted once either way.
    await vi.waitFor(
      async () => {
        await countPackageRuns(getDb());
        expect(await getDb().agentPackage.findUniqueOrThrow({ where: { id: packageId }, select: { runCount: true, successCount: true } })).toEqual({ runCount: 3, successCount: 2 });
      },
      { timeout: 30_000, interval: 200 },
    );
    await countPackageRuns(getDb());
    expect(await getDb().agentPackage.findUniqueOrThrow({ where: { id: packageId }, select: { runCount: true, successCount: true } })).toEqual({ runCount: 3, successCount: 2 });
  });
});
