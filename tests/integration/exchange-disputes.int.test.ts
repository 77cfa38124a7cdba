import { describe, expect, it } from "vitest";
import * as disputeRoute from "@/app/api/v1/work/[id]/dispute/route";
import * as disputesRoute from "@/app/api/v1/admin/disputes/route";
import * as resolveRoute from "@/app/api/v1/admin/disputes/[workId]/resolve/route";
import { principalFromUser, type Principal } from "@/lib/auth/principal";
import { getDb } from "@/lib/db/client";
import { deliverOutput } from "@/lib/exchange/delivery";
import { disputeWork, resolveDispute } from "@/lib/exchange/disputes";
import { splitCharge } from "@/lib/exchange/escrow";
import { earningsAccountId } from "@/lib/ledger/earnings";
import { balanceOf, SYSTEM_ACCOUNTS } from "@/lib/ledger/ledger";
import { callRoute, sessionCookie } from "../helpers/call-route";
import { awardedWork } from "../helpers/exchange-contract";
import { createUser } from "../helpers/factories";
import { expectLedgerInvariantsAfterEach } from "../helpers/lifecycle";

// Disputes (issue 21 item 5): the buyer disputes a passed delivery within 72
// hours with a reason; a platform admin resolves it — release, partial or full
// refund — with exact amounts on both sides, and the admin and the reason on the
// transfers and in the audit log.

const db = getDb();
expectLedgerInvariantsAfterEach();

const WALLET = 10_000_000n;
const wallet = (workspaceId: string) => balanceOf(db, `acct_ws_${workspaceId}`);

async function admin() {
  const a = await createUser("admin");
  await db.user.update({ where: { id: a.user.id }, data: { isAdmin: true } });
  return { ...a, principal: (await principalFromUser(a.user.id)) as Principal, cookie: await sessionCookie(a.user.id, a.workspace.id) };
}

/** An awarded work whose delivery passed, disputed by its buyer through the API. */
async function disputed(price: bigint, feeBps = 2_000) {
  const awarded = await awardedWork({ price, feeBps });
  await deliverOutput(awarded.seller.owner.principal, awarded.work.id, { summary: "Every column profiled." });
  const asBuyer = { cookie: await sessionCookie(awarded.buyer.user.id, awarded.buyer.workspace.id) };
  const short = await callRoute(disputeRoute.POST, { method: "POST", body: JSON.stringify({ reason: "bad" }), headers: asBuyer, params: { id: awarded.work.id } });
  expect(short.status).toBe(400);
  expect(short.body!.error.details.issues[0]!.path).toBe("reason");
  const res = await callRoute(disputeRoute.POST, { method: "POST", body: JSON.stringify({ reason: "Half of the columns are missing from the summary." }), headers: asBuyer, params: { id: awarded.work.id } });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  expect(res.body).toMatchObject({ status: "DISPUTED", contract: { disputeReason: "Half of the columns are missing from the summary.", disputedAt: expect.any(String) } });
  return awarded;
}

describe("disputes", () => {
  it("a partial refund charges the buyer the price less the refund; the provider gets the split of that, the platform the rest; the admin and reason are recorded", async () => {
    const { buyer, seller, work, contract } = await disputed(3_000_000n, 2_000);
    const a = await admin();
    const queue = await callRoute(disputesRoute.GET, { headers: { cookie: a.cookie }, path: "/api/v1/admin/disputes?limit=100" });
    expect(queue.status).toBe(200);
    const listed = queue.body!.data as unknown as { contract: { disputeReason: string | null; settledAt: string | null } }[];
    expect(listed.length).toBeGreaterThan(0);
    expect(listed.every((d) => d.contract.disputeReason !== null)).toBe(true);
    const asBuyer = { cookie: await sessionCookie(buyer.user.id, buyer.workspace.id) };
    expect((await callRoute(disputesRoute.GET, { headers: asBuyer })).status).toBe(403);

    const resolve = (body: object, cookie = a.cookie) => callRoute(resolveRoute.POST, { method: "POST", body: JSON.stringify(body), headers: { cookie }, params: { workId: work.id } });
    expect((await resolve({ outcome: "PARTIAL_REFUND", refundMicros: 1_000_000, reason: "Half the rows." }, asBuyer.cookie)).status).toBe(403);
    expect((await resolve({ outcome: "PARTIAL_REFUND", reason: "Half the rows." })).status).toBe(400); // no amount
    expect((await resolve({ outcome: "RELEASE", refundMicros: 5, reason: "Fine." })).status).toBe(400);
    const tooMuch = await resolve({ outcome: "PARTIAL_REFUND", refundMicros: 3_000_000, reason: "Half the rows." });
    expect(tooMuch.status).toBe(400);
    expect(tooMuch.body!.error.message).toContain("less than the contract's price");

    const reason = "Half the rows were summarised; refunding a third.";
    const res = await resolve({ outcome: "PARTIAL_REFUND", refundMicros: 1_000_000, reason });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({ status: "RESOLVED", contract: { outcome: "PARTIAL_REFUND", refundMicros: 1_000_000, resolutionReason: reason } });
    expect((await resolve({ outcome: "RELEASE", reason: "Again." })).status).toBe(409);

    const charged = 2_000_000n;
    const { shareMicros, feeMicros } = splitCharge(charged, 2_000);
    expect([shareMicros, feeMicros]).toEqual([1_600_000n, 400_000n]);
    expect(await wallet(buyer.workspace.id)).toMatchObject({ postedMicros: WALLET - charged, availableMicros: WALLET - charged, pendingDebitsMicros: 0n });
    expect(await balanceOf(db, earningsAccountId(seller.provider.id))).toMatchObject({ pendingCreditsMicros: shareMicros });
    const split = await db.transfer.findMany({ where: { contractId: contract.id, reason: { in: ["provider_share", "platform_fee"] } }, orderBy: { reason: "asc" } });
    expect(split.map((t) => [t.reason, t.amountMicros, t.creditAccountId, t.actorUserId])).toEqual([
      ["platform_fee", feeMicros, SYSTEM_ACCOUNTS.platformFees, a.user.id],
      ["provider_share", shareMicros, earningsAccountId(seller.provider.id), a.user.id],
    ]);
    expect(split.every((t) => t.memo === `Dispute resolved (partial refund): ${reason}`)).toBe(true);
    // The escrow's own resolution (posted for the charge, the rest released) names the admin and the reason too.
    const escrow = await db.transfer.findFirstOrThrow({ where: { contractId: contract.id, reason: "work_escrow", kind: "POST_PENDING" } });
    expect(escrow).toMatchObject({ amountMicros: charged, actorUserId: a.user.id, memo: `Dispute resolved (partial refund): ${reason}` });
    const audit = await db.auditLog.findFirstOrThrow({ where: { target: work.id, action: "work.resolved" } });
    expect(audit).toMatchObject({ actorUserId: a.user.id, metadata: expect.objectContaining({ outcome: "PARTIAL_REFUND", reason, refundMicros: 1_000_000, chargedMicros: 2_000_000 }) });
  });

  it("a full refund gives the buyer everything back and pays nothing; a release pays in full", async () => {
    const a = await admin();
    const full = await disputed(1_000_000n);
    await resolveDispute(a.principal, full.work.id, { outcome: "FULL_REFUND", reason: "Nothing usable was delivered." });
    expect(await wallet(full.buyer.workspace.id)).toMatchObject({ postedMicros: WALLET, availableMicros: WALLET });
    expect(await db.transfer.count({ where: { contractId: full.contract.id, reason: { in: ["provider_share", "platform_fee"] } } })).toBe(0);
    // Nothing moved, but the void of the escrow names the admin and the reason.
    expect(await db.transfer.findFirstOrThrow({ where: { contractId: full.contract.id, reason: "work_escrow", kind: "VOID_PENDING" } })).toMatchObject({
      amountMicros: 0n,
      actorUserId: a.user.id,
      memo: "Dispute resolved (full refund): Nothing usable was delivered.",
    });

    const released = await disputed(1_000_000n, 1_000);
    const json = await resolveDispute(a.principal, released.work.id, { outcome: "RELEASE", reason: "The delivery meets the spec." });
    expect(json).toMatchObject({ status: "RESOLVED", contract: { outcome: "RELEASE", refundMicros: 0 } });
    expect((await wallet(released.buyer.workspace.id)).postedMicros).toBe(WALLET - 1_000_000n);
    expect(await balanceOf(db, earningsAccountId(released.seller.provider.id))).toMatchObject({ pendingCreditsMicros: 900_000n });
  });

  it("refuses a dispute that is not the buyer's (404), out of turn (409) or without a reason a person can act on (400)", async () => {
    const { buyer, seller, work } = await awardedWork({ price: 400_000n });
    await expect(disputeWork(buyer.principal, work.id, "Half of the rows are missing.")).rejects.toMatchObject({ status: 409 }); // not delivered yet
    await deliverOutput(seller.owner.principal, work.id, { summary: "Done." });
    await expect(disputeWork(seller.owner.principal, work.id, "Half of the rows are missing.")).rejects.toMatchObject({ status: 404 });
    await expect(disputeWork(buyer.principal, work.id, "too short")).rejects.toMatchObject({ status: 400 });
    await expect(resolveDispute(buyer.principal, work.id, { outcome: "RELEASE", reason: "Mine." })).rejects.toMatchObject({ status: 403 });
    expect((await db.work.findUniqueOrThrow({ where: { id: work.id } })).status).toBe("DELIVERED");
  });
});
