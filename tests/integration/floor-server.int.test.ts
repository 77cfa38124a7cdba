import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApiKey } from "@/lib/api-keys/api-keys";
import { getDb } from "@/lib/db/client";
import { balanceOf } from "@/lib/ledger/ledger";
import { checkLedgerInvariants } from "@/lib/ledger/invariants";
import { startFloorServer } from "../../bench/floor/server";
import { benchAnthropic, benchRun, pool } from "../../bench/run-client";
import { createUser, setWallet } from "../helpers/factories";

// The floor server of bench/run-overhead.ts (issue 18) does a metered run's
// durable work against the real schema: every run it answers is charged exactly
// once, for its price, and the ledger stays consistent under concurrency.

const db = getDb();
const { fake, env } = await benchAnthropic();
let floor: Awaited<ReturnType<typeof startFloorServer>>;
beforeAll(async () => {
  floor = await startFloorServer({ databaseUrl: process.env.DATABASE_URL!, anthropic: { apiKey: env.ANTHROPIC_API_KEY!, baseURL: env.ANTHROPIC_BASE_URL! } });
});
afterAll(async () => {
  await floor.close();
  await fake.close();
});

/** What the fake's answer (900 input, 40 output tokens) costs on a tier, computed here from the price rows. */
async function expectedPrice(tierCode: string): Promise<bigint> {
  const sonnet = await db.modelPrice.findUniqueOrThrow({ where: { model: "claude-sonnet-5-5" } });
  const { priceMultiplierBps } = await db.tier.findUniqueOrThrow({ where: { code: tierCode } });
  const { baseFeeMicros } = await db.agentPackage.findFirstOrThrow({ where: { slug: "security-scanner", status: "PUBLISHED" } });
  const cost = (900n * sonnet.inputMicrosPerMTok + 40n * sonnet.outputMicrosPerMTok + 500_000n) / 1_000_000n;
  return baseFeeMicros + (cost * BigInt(priceMultiplierBps) + 5_000n) / 10_000n;
}

describe("the floor server", () => {
  it("runs 20 concurrent runs to SUCCEEDED, charges the wallet exactly their prices, and the ledger invariants hold", async () => {
    const owner = await createUser("floor", { tier: "enterprise" });
    const START = 10_000_000n;
    const wallet = await setWallet(owner.workspace.id, START);
    const { secret } = await createApiKey(owner.principal, { name: "floor" });
    const headers = { authorization: `Bearer ${secret}`, "content-type": "application/json" };

    const done = await pool(20, 20, () => benchRun(floor.url, headers));

    const runs = await db.run.findMany({ where: { id: { in: done.map((r) => r.id) } }, select: { status: true, priceMicros: true, workspaceId: true } });
    expect(runs).toHaveLength(20);
    expect(runs.every((r) => r.status === "SUCCEEDED" && r.workspaceId === owner.workspace.id)).toBe(true);
    const price = await expectedPrice("enterprise");
    expect(runs.map((r) => r.priceMicros)).toEqual(Array(20).fill(price));
    expect(await balanceOf(db, wallet)).toMatchObject({ postedMicros: START - 20n * price, pendingDebitsMicros: 0n });
    const usage = await db.usageDaily.findMany({ where: { workspaceId: owner.workspace.id } });
    expect(usage.map((u) => [u.runs, u.succeeded, u.priceMicros])).toEqual([[20, 20, 20n * price]]);
    expect(await checkLedgerInvariants(db)).toEqual([]);
  });

  it('streams a run in the POST\'s own response ("stream": true), charged like any other', async () => {
    const owner = await createUser("floor-stream", { tier: "enterprise" });
    await setWallet(owner.workspace.id, 10_000_000n);
    const { secret } = await createApiKey(owner.principal, { name: "floor" });
    const done = await pool(5, 5, () => benchRun(floor.url, { authorization: `Bearer ${secret}`, "content-type": "application/json" }, "one"));
    const runs = await db.run.findMany({ where: { id: { in: done.map((r) => r.id) } }, select: { status: true, priceMicros: true, workspaceId: true } });
    const price = await expectedPrice("enterprise");
    expect(runs).toEqual(Array(5).fill({ status: "SUCCEEDED", priceMicros: price, workspaceId: owner.workspace.id }));
  });

  it("refuses a run the wallet cannot hold, writing nothing", async () => {
    const owner = await createUser("floor-poor", { tier: "enterprise" });
    await setWallet(owner.workspace.id, 1_000n);
    const { secret } = await createApiKey(owner.principal, { name: "floor" });
    const res = await fetch(`${floor.url}/api/v1/runs`, {
      method: "POST",
      headers: { authorization: `Bearer ${secret}`, "content-type": "application/json" },
      body: JSON.stringify({ agent: "security-scanner", input: { files: [{ path: "a.py", content: "x = 1\n" }] } }),
    });
    expect(res.status).toBe(402);
    expect(await db.run.count({ where: { workspaceId: owner.workspace.id } })).toBe(0);
    expect(await checkLedgerInvariants(db)).toEqual([]);
  });
});
