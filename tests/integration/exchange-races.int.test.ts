import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { getDb } from "@/lib/db/client";
import { awardBid } from "@/lib/exchange/award";
import { placeBid } from "@/lib/exchange/bids";
import { postWork } from "@/lib/exchange/work";
import { balanceOf } from "@/lib/ledger/ledger";
import { createUser, joinWorkspace, setWallet } from "../helpers/factories";
import { expectLedgerInvariantsAfterEach } from "../helpers/lifecycle";
import { createProvider } from "../helpers/market";

// The exchange under concurrency (issue 21 "Races"): two awards of one work at
// once make one contract (the other is a 409), and 50 providers bidding at once
// are each recorded once.

const db = getDb();
expectLedgerInvariantsAfterEach();

const HOUR = 3_600_000;
const WALLET = 20_000_000n;

async function postedWork() {
  const buyer = await createUser("buyer", { verified: false });
  await setWallet(buyer.workspace.id, WALLET);
  const work = await postWork(buyer.principal, {
    title: "Race me", input: {}, acceptance: { outputSchema: { type: "object" } }, budgetMicros: 5_000_000, capabilities: [`race-${randomUUID().slice(0, 8)}`],
    bidDeadline: new Date(Date.now() + HOUR).toISOString(), deliveryDeadline: new Date(Date.now() + 2 * HOUR).toISOString(),
  });
  return { buyer, work };
}

describe("exchange races", () => {
  it("two awards at once: one contract, the other a 409, the escrow at the winner's price", async () => {
    const { buyer, work } = await postedWork();
    const bidders = [(await createProvider("racer-a")).owner, (await createProvider("racer-b")).owner];
    const bids = await Promise.all(bidders.map((o, i) => placeBid(o.principal, work.id, { priceMicros: 1_000_000 * (i + 1), promisedMinutes: 30 })));
    const results = await Promise.allSettled(bids.map((b) => awardBid(buyer.principal, work.id, b.id)));
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    const refused = results.filter((r) => r.status === "rejected");
    expect(refused.map((r) => (r as PromiseRejectedResult).reason)).toEqual([expect.objectContaining({ status: 409 })]);
    const contract = await db.contract.findUniqueOrThrow({ where: { workId: work.id } });
    expect(await db.contract.count({ where: { workId: work.id } })).toBe(1);
    expect((await balanceOf(db, `acct_ws_${buyer.workspace.id}`)).availableMicros).toBe(WALLET - contract.priceMicros);
    expect(await db.workEvent.count({ where: { workId: work.id, type: "awarded" } })).toBe(1);
  });

  it("50 providers bidding at once are each recorded once; a retried bid is a 409 and changes nothing", async () => {
    const { work } = await postedWork();
    const member = await createUser("bidder", { verified: false });
    const principals = await Promise.all(
      Array.from({ length: 50 }, async (_, i) => {
        const suffix = randomUUID().slice(0, 8);
        const ws = await db.workspace.create({ data: { name: `Bidder ${i}`, slug: `bidder-${suffix}` } });
        await db.provider.create({ data: { workspaceId: ws.id, slug: `bidder-${suffix}`, name: `Bidder ${i}` } });
        return joinWorkspace(member.user.id, ws.id);
      }),
    );
    const placed = await Promise.allSettled(principals.map((p, i) => placeBid(p, work.id, { priceMicros: 100_000 + i, promisedMinutes: 30 })));
    expect(placed.filter((r) => r.status === "rejected")).toEqual([]);
    const rows = await db.bid.findMany({ where: { workId: work.id }, select: { providerId: true, priceMicros: true } });
    expect(rows).toHaveLength(50);
    expect(new Set(rows.map((r) => r.providerId)).size).toBe(50);
    expect(new Set(rows.map((r) => r.priceMicros)).size).toBe(50);
    const retried = await Promise.allSettled([placeBid(principals[7]!, work.id, { priceMicros: 100_007, promisedMinutes: 30 }), placeBid(principals[7]!, work.id, { priceMicros: 100_007, promisedMinutes: 30 })]);
    expect(retried.map((r) => r.status === "rejected" && (r.reason as { status: number }).status)).toEqual([409, 409]);
    expect(await db.bid.count({ where: { workId: work.id } })).toBe(50);
    expect(await db.workEvent.count({ where: { workId: work.id, type: "bid" } })).toBe(50);
  });
});
