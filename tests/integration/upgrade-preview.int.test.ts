import { randomUUID } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import * as startRoute from "@/app/api/v1/agents/[slug]/upgrade-previews/route";
import * as quoteRoute from "@/app/api/v1/agents/[slug]/upgrade-previews/quote/route";
import * as candidatesRoute from "@/app/api/v1/agents/[slug]/upgrade-previews/candidates/route";
import * as previewRoute from "@/app/api/v1/upgrade-previews/[id]/route";
import * as advanceRoute from "@/app/api/v1/upgrade-previews/[id]/advance/route";
import * as previewsRoute from "@/app/api/v1/upgrade-previews/route";
import * as runsRoute from "@/app/api/v1/runs/route";
import { createApiKey } from "@/lib/api-keys/api-keys";
import type { Principal } from "@/lib/auth/principal";
import { getDb } from "@/lib/db/client";
import { workspaceBalance } from "@/lib/ledger/ledger";
import { EXAMPLE_MANIFEST } from "@/lib/packages/example-manifest";
import { getUpgradePreview, startUpgradePreview, type UpgradePreviewJson } from "@/lib/packages/upgrade-preview";
import { runExecutor, startRunWorker } from "@/lib/runs/run-executor-instance";
import { callRoute } from "../helpers/call-route";
import { createHostedPackage, createUser, setWallet } from "../helpers/factories";
import { expectLedgerInvariantsAfterEach } from "../helpers/lifecycle";
import { workspaceSettled } from "../helpers/run-harness";

// Upgrade preview (issue 20 item 3): a workspace on 1.0.0 of a hosted package tries 1.1.0 on its
// own recent inputs — the quote, the charged runs, the comparison — run by the process's own run
// worker with the offline model, through the API.

expectLedgerInvariantsAfterEach();
const db = getDb();
const FEE = BigInt(EXAMPLE_MANIFEST.baseFeeMicros); // the offline model costs nothing: a run's price (and hold) is its base fee

type Consumer = { workspaceId: string; auth: Record<string, string>; principal: Principal };
let provider: Awaited<ReturnType<typeof createUser>>;

beforeAll(async () => {
  provider = await createUser("upgrade-provider", { tier: "enterprise" });
  await startRunWorker("all");
});

async function consumer(label: string, tier: "free" | "enterprise" = "enterprise"): Promise<Consumer> {
  const { principal, workspace } = await createUser(label, { tier });
  const key = await createApiKey(principal, { name: label });
  return { workspaceId: workspace.id, auth: { authorization: `Bearer ${key.secret}` }, principal };
}

/** 1.0.0 and 1.1.0 of a new hosted slug; 1.1.0's output also names the first column (an added path). */
async function twoVersions() {
  const slug = `upgrade-${randomUUID().slice(0, 8)}`;
  const base = structuredClone(EXAMPLE_MANIFEST);
  await createHostedPackage({ providerWorkspace: provider.principal, manifest: { ...base, slug, version: "1.0.0" } });
  const output = { ...base.hosted.offline.output, firstColumn: { $result: "/profile_csv/columns/0/name" } };
  await createHostedPackage({ providerWorkspace: provider.principal, manifest: { ...base, slug, version: "1.1.0", hosted: { ...base.hosted, offline: { ...base.hosted.offline, output } } } });
  return slug;
}

const csvOf = (i: number) => `name${i},visits\nOslo,${i}\nLima,${i + 1}\n`;

/** `count` runs of slug@1.0.0 on distinct inputs, ended; their ids, oldest first. */
async function baseRuns(c: Consumer, slug: string, count: number): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    const res = await callRoute(runsRoute.POST, { method: "POST", body: JSON.stringify({ agent: `${slug}@1.0.0`, input: { csv: csvOf(i) } }), headers: c.auth });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    ids.push(res.body!.id as string);
    await workspaceSettled(c.workspaceId);
  }
  return ids;
}

const quote = (c: Consumer, slug: string, body: unknown) => callRoute(quoteRoute.POST, { method: "POST", body: JSON.stringify(body), headers: c.auth, params: { slug } });
const start = (c: Consumer, slug: string, body: unknown) => callRoute(startRoute.POST, { method: "POST", body: JSON.stringify(body), headers: c.auth, params: { slug } });
const read = async (c: Consumer, id: string) => {
  const res = await callRoute(previewRoute.GET, { headers: c.auth, params: { id } });
  return { status: res.status, preview: res.body as unknown as UpgradePreviewJson };
};
/** Reads the preview (through the API, or `reader`) until no item is pending, queued or running. */
async function settledPreview(c: Consumer, id: string, reader = async () => (await read(c, id)).preview): Promise<UpgradePreviewJson> {
  let last: UpgradePreviewJson | undefined;
  await expect.poll(async () => (last = await reader()).live, { timeout: 60_000, interval: 50 }).toBe(false);
  return last!;
}
const available = async (workspaceId: string) => (await workspaceBalance(db, workspaceId)).availableMicros;
const runCount = (workspaceId: string) => db.run.count({ where: { workspaceId } });

describe("upgrade preview", () => {
  it("three inputs: a quote, three charged runs on 1.1.0, a comparison with status, price, duration and the output's difference; a retry starts nothing", async () => {
    const c = await consumer("upgrade-three");
    const slug = await twoVersions();
    const ids = await baseRuns(c, slug, 4);
    const picked = ids.slice(1).reverse(); // the three newest

    const candidates = await callRoute(candidatesRoute.GET, { headers: c.auth, params: { slug }, path: `/api/v1/agents/${slug}/upgrade-previews/candidates` });
    expect(candidates.status).toBe(200);
    expect(candidates.body).toMatchObject({ from: "1.0.0", toVersions: ["1.1.0"], ranVersions: ["1.0.0"] });
    expect((candidates.body!.candidates as { runId: string }[]).map((r) => r.runId)).toEqual([...ids].reverse());

    const q = await quote(c, slug, { from: "1.0.0", to: "1.1.0", runIds: picked });
    expect(q.status, JSON.stringify(q.body)).toBe(200);
    expect(q.body).toMatchObject({ totalMaxHoldMicros: Number(3n * FEE), availableMicros: Number(await available(c.workspaceId)), sufficient: true });
    expect((q.body!.items as { runId: string; maxHoldMicros: number }[]).map((i) => [i.runId, i.maxHoldMicros])).toEqual(picked.map((id) => [id, Number(FEE)]));

    const before = await available(c.workspaceId);
    const key = randomUUID();
    const res = await start(c, slug, { from: "1.0.0", to: "1.1.0", runIds: picked, idempotencyKey: key });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    const id = res.body!.id as string;
    const preview = await settledPreview(c, id);

    expect(preview.items).toHaveLength(3);
    const newRuns = await db.run.findMany({ where: { id: { in: preview.items.map((i) => i.next!.id) } }, select: { id: true, packageVersion: true, status: true, priceMicros: true, idempotencyKey: true } });
    expect(newRuns.map((r) => [r.packageVersion, r.status, r.priceMicros])).toEqual(Array(3).fill(["1.1.0", "SUCCEEDED", FEE]));
    const charges = await db.transfer.findMany({ where: { runId: { in: newRuns.map((r) => r.id) }, reason: "run_charge", kind: "POST_PENDING" }, select: { amountMicros: true } });
    expect(charges.map((t) => t.amountMicros)).toEqual(Array(3).fill(FEE));
    expect(await available(c.workspaceId)).toBe(before - 3n * FEE);

    preview.items.forEach((item, i) => {
      expect(item.base).toMatchObject({ id: picked[i], version: "1.0.0", status: "SUCCEEDED", priceMicros: Number(FEE) });
      expect(item.next).toMatchObject({ version: "1.1.0", status: "SUCCEEDED", priceMicros: Number(FEE) });
      expect(item.next!.durationMs).toEqual(expect.any(Number));
      expect(item.diff).toEqual({ equal: false, truncated: false, entries: [{ path: "/firstColumn", kind: "added", after: JSON.stringify(`name${3 - i}`) }] });
    });
    expect(preview.totals).toEqual({ from: { priceMicros: Number(3n * FEE), succeeded: 3, runs: 3 }, to: { priceMicros: Number(3n * FEE), succeeded: 3, runs: 3 }, failedToStart: 0 });

    // The same key again: the same preview, no new run, no new charge.
    const runsBefore = await runCount(c.workspaceId);
    const again = await start(c, slug, { from: "1.0.0", to: "1.1.0", runIds: picked, idempotencyKey: key });
    expect(again.status).toBe(200);
    expect(again.body!.id).toBe(id);
    expect(await runCount(c.workspaceId)).toBe(runsBefore);
    expect(await available(c.workspaceId)).toBe(before - 3n * FEE);
    // …and the key with another request is a 409.
    expect((await start(c, slug, { from: "1.0.0", to: "1.1.0", runIds: picked.slice(0, 1), idempotencyKey: key })).status).toBe(409);

    const list = await callRoute(previewsRoute.GET, { headers: c.auth });
    expect(list.status).toBe(200);
    expect((list.body!.data as UpgradePreviewJson[]).map((p) => [p.id, p.totals.to.runs])).toEqual([[id, 3]]);
  });

  it("refuses a foreign run, six or no ids, to equal to from, an unknown version and a short balance — and writes nothing", async () => {
    const c = await consumer("upgrade-bad");
    const other = await consumer("upgrade-other");
    const slug = await twoVersions();
    const [mine] = await baseRuns(c, slug, 1);
    const [theirs] = await baseRuns(other, slug, 1);
    const runsBefore = await runCount(c.workspaceId);
    const previewsBefore = await db.upgradePreview.count({ where: { workspaceId: c.workspaceId } });

    const foreign = await quote(c, slug, { from: "1.0.0", to: "1.1.0", runIds: [mine, theirs] });
    expect(foreign.status).toBe(400);
    expect(foreign.body!.error.message).toContain(theirs!);
    expect(foreign.body!.error.details).toMatchObject({ runIds: [theirs] });
    expect((await start(c, slug, { from: "1.0.0", to: "1.1.0", runIds: [theirs] })).status).toBe(400);

    const six = await quote(c, slug, { from: "1.0.0", to: "1.1.0", runIds: Array.from({ length: 6 }, () => mine) });
    expect(six.status).toBe(400);
    expect(six.body!.error.details.issues.map((i) => i.path)).toContain("runIds");
    expect((await quote(c, slug, { from: "1.0.0", to: "1.1.0", runIds: [] })).status).toBe(400);

    const same = await quote(c, slug, { from: "1.0.0", to: "1.0.0", runIds: [mine] });
    expect(same.status).toBe(400);
    expect(same.body!.error.message).toContain("1.0.0");
    const unknown = await start(c, slug, { from: "1.0.0", to: "9.9.9", runIds: [mine] });
    expect(unknown.status).toBe(400);
    expect(unknown.body!.error.message).toContain(`${slug}@9.9.9`);
    // A run of another version is no run of `from`.
    expect((await quote(c, slug, { from: "1.1.0", to: "1.0.0", runIds: [mine] })).status).toBe(400);

    await setWallet(c.workspaceId, FEE - 1n);
    const short = await quote(c, slug, { from: "1.0.0", to: "1.1.0", runIds: [mine] });
    expect(short.status).toBe(402);
    expect(short.body!.error).toMatchObject({ code: "insufficient_credits", details: { neededMicros: Number(FEE), availableMicros: Number(FEE - 1n) } });

    expect(await runCount(c.workspaceId)).toBe(runsBefore);
    expect(await db.upgradePreview.count({ where: { workspaceId: c.workspaceId } })).toBe(previewsBefore);
  });

  it("an item the balance cannot cover records its error and the others go on", async () => {
    const c = await consumer("upgrade-short");
    const slug = await twoVersions();
    const ids = await baseRuns(c, slug, 3);
    await setWallet(c.workspaceId, 2n * FEE);
    const res = await start(c, slug, { from: "1.0.0", to: "1.1.0", runIds: ids });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    const preview = await settledPreview(c, res.body!.id as string);
    expect(preview.items.map((i) => i.next?.status ?? i.error?.code)).toEqual(["SUCCEEDED", "SUCCEEDED", "insufficient_credits"]);
    expect(preview.totals).toMatchObject({ to: { runs: 2, succeeded: 2 }, failedToStart: 1 });
    expect(await available(c.workspaceId)).toBe(0n);
  });

  it("on a tier that runs one at a time, items wait for a free slot: reading starts nothing, …/advance starts them", async () => {
    const c = await consumer("upgrade-free", "free");
    const slug = await twoVersions();
    await setWallet(c.workspaceId, 10n * FEE);
    const ids = await baseRuns(c, slug, 2);
    // The workspace's one run slot is taken (as by a run of its own still running), so no item can start yet.
    const slot = (live: number) => db.runSlot.upsert({ where: { workspaceId: c.workspaceId }, create: { workspaceId: c.workspaceId, live }, update: { live } });
    await slot(1);
    // Through the library: the Free tier's 10 requests a minute would not last a page's polling in a test.
    const started = await startUpgradePreview(c.principal, slug, { from: "1.0.0", to: "1.1.0", runIds: ids }, runExecutor());
    expect(started.preview.items.map((i) => [Boolean(i.next), i.pending])).toEqual([
      [false, true],
      [false, true],
    ]);
    const runs = await runCount(c.workspaceId);
    const read1 = await read(c, started.preview.id);
    expect(read1.preview.items.map((i) => i.pending)).toEqual([true, true]);
    expect(await runCount(c.workspaceId)).toBe(runs); // a GET is a read
    await slot(0); // that run ended
    const advanced = await callRoute(advanceRoute.POST, { method: "POST", headers: c.auth, params: { id: started.preview.id } });
    expect(advanced.status).toBe(200);
    // The first item starts; the second too if the first has already ended, else at a later advance.
    expect((advanced.body as unknown as UpgradePreviewJson).items[0]).toMatchObject({ pending: false, next: expect.objectContaining({ id: expect.any(String) }) });
    // Advanced through the library (what the route does), for the Free tier's request limit.
    await expect.poll(async () => (await getUpgradePreview(c.principal, started.preview.id, runExecutor())).items.map((i) => i.pending), { timeout: 60_000, interval: 100 }).toEqual([false, false]);
    // Polled through the library: the Free tier's 10 requests a minute would not last it.
    const preview = await settledPreview(c, started.preview.id, () => getUpgradePreview(c.principal, started.preview.id));
    expect(preview.items.map((i) => [i.next?.status, i.error])).toEqual([
      ["SUCCEEDED", null],
      ["SUCCEEDED", null],
    ]);
  });

  it("another workspace's preview is not found", async () => {
    const c = await consumer("upgrade-owner");
    const stranger = await consumer("upgrade-stranger");
    const slug = await twoVersions();
    const ids = await baseRuns(c, slug, 1);
    const res = await start(c, slug, { from: "1.0.0", to: "1.1.0", runIds: ids });
    expect(res.status).toBe(201);
    const theirs = await read(stranger, res.body!.id as string);
    expect(theirs.status).toBe(404);
    expect((await callRoute(previewsRoute.GET, { headers: stranger.auth })).body!.data).toEqual([]);
    await settledPreview(c, res.body!.id as string);
  });
});
