import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import * as workRoute from "@/app/api/v1/work/route";
import * as workItemRoute from "@/app/api/v1/work/[id]/route";
import * as providerBidsRoute from "@/app/api/v1/provider/bids/route";
import { createApiKey } from "@/lib/api-keys/api-keys";
import type { Principal } from "@/lib/auth/principal";
import { getDb } from "@/lib/db/client";
import { awardBid, closeBidWindows } from "@/lib/exchange/award";
import { placeAutoBids } from "@/lib/exchange/auto-bids";
import { placeBid, withdrawBid } from "@/lib/exchange/bids";
import { cancelWork, getWork, listWork, postWork } from "@/lib/exchange/work";
import type { PostWorkBody } from "@/lib/exchange/work-schemas";
import { BACKGROUND_JOBS } from "@/lib/jobs/registry";
import { balanceOf } from "@/lib/ledger/ledger";
import { EXAMPLE_MANIFEST } from "@/lib/packages/example-manifest";
import { manifestSchema, type BidPolicy } from "@/lib/packages/manifest";
import { createPackageVersion } from "@/lib/packages/package-versions";
import { callRoute } from "../helpers/call-route";
import { createUser, setWallet } from "../helpers/factories";
import { expectLedgerInvariantsAfterEach } from "../helpers/lifecycle";
import { createProvider, thirdPartyPackage } from "../helpers/market";

// The work exchange's market (issue 21 items 1–4): posting funded work (402 when
// the wallet cannot cover the budget, nothing written), hand and automatic bids,
// the buyer's ranked view, the award shrinking the escrow to the price, cancel,
// and the bid-window sweep. Every work is tagged with this file's own capability,
// so only this file's packages bid on it.

const db = getDb();
expectLedgerInvariantsAfterEach();

const MIN = 60_000;
const HOUR = 60 * MIN;
const WALLET = 20_000_000n;
const wallet = (workspaceId: string) => balanceOf(db, `acct_ws_${workspaceId}`);
const acceptance = { outputSchema: { type: "object", required: ["summary"], properties: { summary: { type: "string" } } }, checks: [{ type: "required", paths: ["/summary"] }] };

async function buyer() {
  const u = await createUser("buyer", { verified: false });
  await setWallet(u.workspace.id, WALLET);
  return u;
}

function spec(over: Partial<PostWorkBody> = {}, from = Date.now()): PostWorkBody {
  return {
    title: "Summarize the quarterly report", description: "# The report\nKeep it short.", input: { text: "Revenue grew." }, acceptance,
    budgetMicros: 5_000_000, capabilities: [`cap-${randomUUID().slice(0, 8)}`],
    bidDeadline: new Date(from + HOUR).toISOString(), deliveryDeadline: new Date(from + 3 * HOUR).toISOString(), ...over,
  };
}

/** A provider with a published package that bids by itself under `policy` (its capabilities and output schema as given). */
async function biddingPackage(label: string, policy: BidPolicy, outputSchema: object = { type: "object", properties: { summary: { type: "string" } } }) {
  const { owner, provider } = await createProvider(label);
  const pkg = await thirdPartyPackage(provider.id, 10_000n);
  await db.agentPackage.update({ where: { id: pkg.id }, data: { bidPolicy: policy, capabilities: policy.capabilities, outputSchema } });
  return { owner, provider, pkg };
}

/** A provider (its owner acting) with a published package to bid with by hand. */
async function handBidder(label: string, feeBps?: number) {
  const { owner, provider } = await createProvider(label, { feeBps });
  const pkg = await thirdPartyPackage(provider.id, 10_000n);
  return { principal: owner.principal as Principal, provider, pkg };
}

describe("posting work", () => {
  it("holds the budget in escrow with a 'posted' event; a retry under the same key is the same work", async () => {
    const b = await buyer();
    const body = spec();
    const work = await postWork(b.principal, body, { idempotencyKey: "post-1" });
    expect(work).toMatchObject({ status: "OPEN", budgetMicros: 5_000_000, mine: true, bidCount: 0, contract: null, visibility: "PUBLIC" });
    expect(await wallet(b.workspace.id)).toMatchObject({ postedMicros: WALLET, availableMicros: WALLET - 5_000_000n });
    expect((await postWork(b.principal, body, { idempotencyKey: "post-1" })).id).toBe(work.id);
    expect((await wallet(b.workspace.id)).availableMicros).toBe(WALLET - 5_000_000n);
    expect(await db.workEvent.findMany({ where: { workId: work.id }, select: { type: true, toStatus: true } })).toEqual([{ type: "posted", toStatus: "OPEN" }]);
  });

  it("refuses a budget of $0 (400), one above the balance (402, nothing written), and acceptance criteria that do not compile (400 naming the path)", async () => {
    const b = await buyer();
    await expect(postWork(b.principal, spec({ budgetMicros: 0 }))).rejects.toMatchObject({ status: 400, details: { issues: [expect.objectContaining({ path: "budgetMicros" })] } });
    await expect(postWork(b.principal, spec({ budgetMicros: Number(WALLET) + 1 }))).rejects.toMatchObject({ status: 402, code: "insufficient_credits" });
    expect(await db.work.count({ where: { workspaceId: b.workspace.id } })).toBe(0);
    expect(await wallet(b.workspace.id)).toMatchObject({ postedMicros: WALLET, availableMicros: WALLET });
    const badRegex = { ...acceptance, checks: [{ type: "regex", path: "/summary", pattern: "(unclosed" }] };
    await expect(postWork(b.principal, spec({ acceptance: badRegex }))).rejects.toMatchObject({ status: 400, details: { issues: [{ path: "acceptance.checks.0.pattern" }] } });
    const badSchema = { outputSchema: { type: "object", properties: { summary: { $ref: "#/nowhere" } } } };
    await expect(postWork(b.principal, spec({ acceptance: badSchema }))).rejects.toMatchObject({ status: 400, details: { issues: [{ path: "acceptance.outputSchema.properties.summary.$ref" }] } });
    await expect(postWork(b.principal, spec({}, Date.now() - 2 * HOUR))).rejects.toMatchObject({ status: 400, details: { issues: [{ path: "bidDeadline" }] } });
    await expect(postWork(b.principal, spec({ visibility: "INVITED", invitedProviders: ["no-such-provider-x"] }))).rejects.toMatchObject({ status: 400, details: { issues: [{ path: "invitedProviders" }] } });
    expect(await db.work.count({ where: { workspaceId: b.workspace.id } })).toBe(0);
  });

  it("answers through the API: 201 with the work, a 400 in the one error shape, and the buyer's GET", async () => {
    const b = await buyer();
    const key = await createApiKey(b.principal, { name: "exchange" });
    const auth = { authorization: `Bearer ${key.secret}` };
    const created = await callRoute(workRoute.POST, { method: "POST", body: JSON.stringify(spec()), headers: auth });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const bad = await callRoute(workRoute.POST, { method: "POST", body: JSON.stringify(spec({ budgetMicros: -5 })), headers: auth });
    expect(bad.status).toBe(400);
    expect(bad.body!.error.details.issues.map((i) => i.path)).toContain("budgetMicros");
    const read = await callRoute(workItemRoute.GET, { headers: auth, params: { id: created.body!.id as unknown as string } });
    expect(read.body).toMatchObject({ id: created.body!.id, mine: true, bids: [], events: [{ type: "posted" }] });
    const mine = await callRoute(workRoute.GET, { headers: auth, path: "/api/v1/work?scope=mine" });
    expect((mine.body!.data as unknown as { id: string }[]).map((w) => w.id)).toEqual([created.body!.id]);
  });
});

describe("bids", () => {
  it("a manifest's bid policy is stored on the version row (lower-cased tags); a malformed one is refused naming its path", async () => {
    const { owner } = await createProvider("policy");
    const policy = { capabilities: ["Summarize"], price: { baseMicros: 500_000, perInputKbMicros: 1_000, maxMicros: 2_000_000 }, promisedMinutes: 20 };
    const manifest = manifestSchema.parse({ ...structuredClone(EXAMPLE_MANIFEST), slug: `policy-${randomUUID().slice(0, 8)}`, bidPolicy: policy });
    const version = await createPackageVersion(owner.principal, manifest, null);
    expect((await db.agentPackage.findUniqueOrThrow({ where: { id: version.id } })).bidPolicy).toEqual({ ...policy, capabilities: ["summarize"] });
    const bad = manifestSchema.safeParse({ ...structuredClone(EXAMPLE_MANIFEST), bidPolicy: { ...policy, price: { baseMicros: -1 } } });
    expect(new Set(bad.success ? [] : bad.error.issues.map((i) => i.path.join(".")))).toEqual(new Set(["bidPolicy.price.baseMicros"]));
  });

  it("two providers' packages bid by themselves; the buyer sees them ranked with the breakdown, each provider only its own", async () => {
    const b = await buyer();
    const tag = `cap-${randomUUID().slice(0, 8)}`;
    const cheap = await biddingPackage("cheap", { capabilities: [tag], price: { baseMicros: 1_000_000, perInputKbMicros: 100_000 }, promisedMinutes: 30 });
    const dear = await biddingPackage("dear", { capabilities: [tag, "other"], price: { baseMicros: 3_000_000 }, promisedMinutes: 30 }, { type: "object", properties: {} });
    await biddingPackage("greedy", { capabilities: [tag], price: { baseMicros: 9_000_000 }, promisedMinutes: 30 }); // above the budget: no bid
    const work = await postWork(b.principal, spec({ capabilities: [tag] }));
    expect(await placeAutoBids(db, work.id)).toBe(2);
    expect(await placeAutoBids(db, work.id)).toBe(0); // once per work
    const seen = await getWork(b.principal, work.id);
    expect(seen.bids.map((x) => [x.package?.slug, x.priceMicros, x.auto])).toEqual([[cheap.pkg.slug, 1_100_000, true], [dear.pkg.slug, 3_000_000, true]]);
    for (const bid of seen.bids) expect(bid.rank).toEqual({ score: expect.any(Number), price: expect.any(Number), trust: 0.5, fit: expect.any(Number), time: expect.any(Number), explanation: expect.stringContaining("budget") });
    expect(seen.bids[0]!.rank!.score).toBeGreaterThan(seen.bids[1]!.rank!.score);
    expect(seen.bids[1]!.rank!.fit).toBe(0.5); // its output schema lacks the required "summary"
    const providerView = await getWork(cheap.owner.principal, work.id);
    expect(providerView.bids.map((x) => [x.package?.slug, x.rank])).toEqual([[cheap.pkg.slug, undefined]]);
    expect(providerView.events).toEqual([]);
    expect(providerView.mine).toBe(false);
  });

  it("refuses a bid above the budget (400), after the deadline (409), on its own work (403), twice (409); an uninvited provider cannot see invited work (404)", async () => {
    const b = await buyer();
    const bidder = await handBidder("hand");
    const work = await postWork(b.principal, spec());
    await expect(placeBid(bidder.principal, work.id, { priceMicros: 5_000_001, promisedMinutes: 30 })).rejects.toMatchObject({ status: 400, details: { issues: [{ path: "priceMicros" }] } });
    await expect(placeBid(bidder.principal, work.id, { priceMicros: 1_000_000, promisedMinutes: 30 }, { at: new Date(Date.now() + 2 * HOUR) })).rejects.toMatchObject({ status: 409 });
    await expect(placeBid(bidder.principal, work.id, { package: "not-mine-at-all", priceMicros: 1_000_000, promisedMinutes: 30 })).rejects.toMatchObject({ status: 400, details: { issues: [{ path: "package" }] } });
    await setWallet(bidder.provider.workspaceId!, WALLET);
    const own = await postWork(bidder.principal, spec());
    await expect(placeBid(bidder.principal, own.id, { priceMicros: 1_000_000, promisedMinutes: 30 })).rejects.toMatchObject({ status: 403 });
    const first = await placeBid(bidder.principal, work.id, { package: bidder.pkg.slug, priceMicros: 1_000_000, promisedMinutes: 30, note: "fast" });
    expect(first).toMatchObject({ status: "ACTIVE", auto: false, package: { slug: bidder.pkg.slug }, priceMicros: 1_000_000, note: "fast" });
    await expect(placeBid(bidder.principal, work.id, { package: bidder.pkg.slug, priceMicros: 900_000, promisedMinutes: 20 })).rejects.toMatchObject({ status: 409 });
    const guest = await handBidder("guest");
    const tag = `cap-${randomUUID().slice(0, 8)}`;
    const invited = await postWork(b.principal, spec({ visibility: "INVITED", invitedProviders: [guest.provider.slug], capabilities: [tag] }));
    const open = await postWork(b.principal, spec({ capabilities: [tag] }));
    await expect(placeBid(bidder.principal, invited.id, { priceMicros: 1_000_000, promisedMinutes: 30 })).rejects.toMatchObject({ status: 404 });
    await expect(getWork(bidder.principal, invited.id)).rejects.toMatchObject({ status: 404 });
    const openTo = async (p: Principal) => (await listWork(p, { scope: "open", capability: tag, limit: 20 })).data.map((w) => w.id);
    expect(await openTo(guest.principal)).toEqual([open.id, invited.id]);
    expect(await openTo(bidder.principal)).toEqual([open.id]);
    expect(await openTo(b.principal)).toEqual([]); // never one's own work
    const notProvider = await createUser("plain", { verified: false });
    await expect(placeBid(notProvider.principal, work.id, { priceMicros: 1_000_000, promisedMinutes: 30 })).rejects.toMatchObject({ status: 403 });
    expect(await db.bid.count({ where: { workId: { in: [work.id, own.id, invited.id, open.id] } } })).toBe(1);
  });

  it("withdraws an active bid once; it is then not awardable, and shows in the provider's bids", async () => {
    const b = await buyer();
    const bidder = await handBidder("withdrawer");
    const work = await postWork(b.principal, spec());
    const bid = await placeBid(bidder.principal, work.id, { priceMicros: 2_000_000, promisedMinutes: 60 });
    expect(await withdrawBid(bidder.principal, work.id, bid.id)).toMatchObject({ id: bid.id, status: "WITHDRAWN" });
    await expect(withdrawBid(bidder.principal, work.id, bid.id)).rejects.toMatchObject({ status: 409 });
    await expect(awardBid(b.principal, work.id, bid.id)).rejects.toMatchObject({ status: 409 });
    const key = await createApiKey(bidder.principal, { name: "bids" });
    const listed = await callRoute(providerBidsRoute.GET, { headers: { authorization: `Bearer ${key.secret}` } });
    expect(listed.body!.data).toEqual([expect.objectContaining({ id: bid.id, status: "WITHDRAWN", work: expect.objectContaining({ id: work.id, status: "OPEN" }) })]);
  });
});

describe("award and cancel", () => {
  it("awarding leaves exactly the bid's price held (the rest released), the contract at the provider's fee; a second award is a 409", async () => {
    const b = await buyer();
    const [x, y] = [await handBidder("winner", 1_500), await handBidder("loser")];
    const work = await postWork(b.principal, spec());
    const winning = await placeBid(x.principal, work.id, { package: x.pkg.slug, priceMicros: 1_750_000, promisedMinutes: 45 });
    const losing = await placeBid(y.principal, work.id, { priceMicros: 1_000_000, promisedMinutes: 45 });
    const awarded = await awardBid(b.principal, work.id, winning.id, { idempotencyKey: "award-1" });
    expect(awarded).toMatchObject({ status: "AWARDED", contract: { bidId: winning.id, priceMicros: 1_750_000, feeBps: 1_500, attempts: 0, package: { slug: x.pkg.slug, version: "1.0.0" }, provider: { slug: x.provider.slug }, deliveries: [] } });
    expect(await wallet(b.workspace.id)).toMatchObject({ postedMicros: WALLET, availableMicros: WALLET - 1_750_000n });
    expect((await awardBid(b.principal, work.id, winning.id, { idempotencyKey: "award-1" })).contract?.id).toBe(awarded.contract!.id); // a retry is a replay
    await expect(awardBid(b.principal, work.id, losing.id)).rejects.toMatchObject({ status: 409 });
    await expect(withdrawBid(y.principal, work.id, losing.id)).rejects.toMatchObject({ status: 409 });
    await expect(cancelWork(b.principal, work.id)).rejects.toMatchObject({ status: 409 });
    expect(await db.contract.count({ where: { workId: work.id } })).toBe(1);
    expect(Object.fromEntries((await db.bid.findMany({ where: { workId: work.id } })).map((r) => [r.id, r.status]))).toEqual({ [winning.id]: "WON", [losing.id]: "LOST" });
    await expect(awardBid(x.principal, work.id, winning.id)).rejects.toMatchObject({ status: 404 }); // not the buyer
  });

  it("cancel releases the whole budget and loses every bid; only the buyer can, only while OPEN", async () => {
    const b = await buyer();
    const bidder = await handBidder("canceled");
    const work = await postWork(b.principal, spec());
    const bid = await placeBid(bidder.principal, work.id, { priceMicros: 2_000_000, promisedMinutes: 60 });
    await expect(cancelWork(bidder.principal, work.id)).rejects.toMatchObject({ status: 404 });
    expect(await cancelWork(b.principal, work.id)).toMatchObject({ status: "CANCELED" });
    expect(await wallet(b.workspace.id)).toMatchObject({ postedMicros: WALLET, availableMicros: WALLET });
    expect(await db.bid.findUniqueOrThrow({ where: { id: bid.id } })).toMatchObject({ status: "LOST" });
    await expect(cancelWork(b.principal, work.id)).rejects.toMatchObject({ status: 409 });
  });
});

describe("closing bid windows", () => {
  // Deadlines ahead, swept at later times through `at` and only over this test's works: the
  // exchange.bids job (any test process's) sweeps at the real now, other files over theirs.
  const then = Date.now();
  const at = (ms: number) => new Date(then + ms);

  it("auto-awards the best-ranked bid, refunds work without bids, leaves hand-awarded work open, and refunds that past its delivery deadline", async () => {
    const b = await buyer();
    const [p, q] = [await handBidder("auto-a"), await handBidder("auto-b")];
    const post = (over: Partial<PostWorkBody>) => postWork(b.principal, spec({ bidDeadline: at(HOUR).toISOString(), deliveryDeadline: at(5 * HOUR).toISOString(), ...over }), { at: at(0) });
    const auto = await post({ autoAward: true, budgetMicros: 4_000_000 });
    const unbid = await post({ budgetMicros: 1_000_000, deliveryDeadline: at(3 * HOUR).toISOString() });
    const manual = await post({ budgetMicros: 2_000_000 });
    const lapsed = await post({ budgetMicros: 3_000_000, deliveryDeadline: at(3 * HOUR).toISOString() });
    const mine = { workIds: [auto.id, unbid.id, manual.id, lapsed.id] };
    // Hand bids (delivered by upload): no delivery run starts when one is awarded.
    const bid = (who: typeof p, workId: string, price: number) => placeBid(who.principal, workId, { priceMicros: price, promisedMinutes: 30 }, { at: at(10 * MIN) });
    const best = await bid(p, auto.id, 1_500_000);
    await bid(q, auto.id, 3_000_000);
    await bid(p, manual.id, 1_000_000);
    await bid(q, lapsed.id, 1_000_000);

    expect(BACKGROUND_JOBS.find((j) => j.name === "exchange.bids")?.cron).toBe("* * * * *");
    expect(await closeBidWindows(db, at(30 * MIN), mine)).toBe(0); // every window still open
    await closeBidWindows(db, at(2 * HOUR), mine);
    const status = async (id: string) => (await db.work.findUniqueOrThrow({ where: { id } })).status;
    expect(await status(auto.id)).toBe("AWARDED");
    expect(await db.contract.findUniqueOrThrow({ where: { workId: auto.id } })).toMatchObject({ bidId: best.id, priceMicros: 1_500_000n });
    expect(await status(unbid.id)).toBe("REFUNDED");
    expect(await status(manual.id)).toBe("OPEN");
    expect(await status(lapsed.id)).toBe("OPEN");
    expect((await wallet(b.workspace.id)).availableMicros).toBe(WALLET - 1_500_000n - 2_000_000n - 3_000_000n);

    await closeBidWindows(db, at(4 * HOUR), mine); // past the lapsed work's delivery deadline
    expect(await status(lapsed.id)).toBe("REFUNDED");
    expect(await db.bid.findMany({ where: { workId: lapsed.id }, select: { status: true } })).toEqual([{ status: "LOST" }]);
    await closeBidWindows(db, at(4 * HOUR), mine); // idempotent
    expect(await db.workEvent.count({ where: { workId: lapsed.id, type: "refunded" } })).toBe(1);
    expect((await awardBid(b.principal, manual.id, (await db.bid.findFirstOrThrow({ where: { workId: manual.id } })).id)).status).toBe("AWARDED");
    expect((await wallet(b.workspace.id)).availableMicros).toBe(WALLET - 1_500_000n - 1_000_000n);
  });
});
