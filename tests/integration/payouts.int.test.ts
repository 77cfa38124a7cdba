import { afterAll, describe, expect, it } from "vitest";
import Stripe from "stripe";
import { outboxSenders } from "@/lib/billing/outbox-senders";
import { PermanentFailure, type OutboxRow } from "@/lib/billing/outbox";
import { createStripe, resetStripeClient } from "@/lib/billing/stripe-client";
import { connectHandlers, processEvent } from "@/lib/billing/webhooks/process-event";
import { getDb } from "@/lib/db/client";
import { earningsAccountId, matureEarnings } from "@/lib/ledger/earnings";
import { refundRun } from "@/lib/ledger/run-refund";
import { onboardingLink } from "@/lib/payouts/connect";
import { createPayouts, isoWeek } from "@/lib/payouts/payouts";
import { finishRun } from "@/lib/runs/finish-run";
import * as earningsRoute from "@/app/api/v1/provider/earnings/route";
import * as payoutsRoute from "@/app/api/v1/provider/payouts/route";
import * as connectRoute from "@/app/api/v1/provider/connect/route";
import * as connectReturnRoute from "@/app/api/v1/provider/connect/return/route";
import * as connectRefreshRoute from "@/app/api/v1/provider/connect/refresh/route";
import * as connectDashboardRoute from "@/app/api/v1/provider/connect/dashboard/route";
import * as refundRoute from "@/app/api/v1/admin/runs/[id]/refund/route";
import * as adminProviderRoute from "@/app/api/v1/admin/providers/[id]/route";
import * as clockRoute from "@/app/api/test/clock/route";
import * as connectWebhookRoute from "@/app/api/stripe/connect-webhook/route";
import { NextRequest } from "next/server";
import { stripeSetup } from "@/scripts/stripe-setup";
import { startFakeStripe } from "../fakes/stripe-server";
import { callRoute, sessionCookie } from "../helpers/call-route";
import { createUser, joinWorkspace, setWallet } from "../helpers/factories";
import { expectLedgerInvariantsAfterEach } from "../helpers/lifecycle";
import { createProvider, heldRun, thirdPartyPackage } from "../helpers/market";

// Stripe Connect payouts (issue 19) with the real SDK against the fake Stripe:
// Express onboarding, the weekly payout (one transfer per provider and week,
// in cents, linked to its runs), refused and reversed transfers giving the
// money back to matured earnings, and the account's state from account.updated.

const fake = await startFakeStripe();
Object.assign(process.env, { STRIPE_SECRET_KEY: "sk_test_agora_fake", STRIPE_WEBHOOK_SECRET: fake.webhookSecret, STRIPE_CONNECT_WEBHOOK_SECRET: fake.connectWebhookSecret, STRIPE_API_BASE: fake.url });
// Shares here mature at once, so this file's sweeps (up to now) never mature another file's shares under its feet.
process.env.AGORA_EARNINGS_MATURITY_DAYS = "0";
resetStripeClient();
const db = getDb();
const client = createStripe("sk_test_agora_fake", fake.url, 0);
const urls = { returnUrl: "http://127.0.0.1:3999/api/v1/provider/connect/return", refreshUrl: "http://127.0.0.1:3999/api/v1/provider/connect/refresh" };
afterAll(() => fake.close());
expectLedgerInvariantsAfterEach();

const usage = { inputTokens: 0, outputTokens: 0, cacheWriteTokens: 0, cacheReadTokens: 0 };
/** A different ISO week for each payout test, so their periods never meet. */
let weeks = 0;
const nextWeek = () => new Date(Date.UTC(2031, 0, 6) + 7 * 86_400_000 * weeks++);

/** The last event the fake produced of `type` (for `account`). */
const lastEvent = (type: string, account?: string) => fake.connectEvents.findLast((e) => e.type === type && (!account || e.account === account))!;

/** A provider onboarded through the real flow, with `runs` matured runs of `feeMicros` each (20% to the platform). */
async function earningProvider(label: string, runs: number, feeMicros: bigint) {
  const { provider, owner } = await createProvider(label);
  const pkg = await thirdPartyPackage(provider.id, feeMicros);
  const consumer = await createUser(`${label}-c`);
  await setWallet(consumer.workspace.id, BigInt(runs) * feeMicros * 2n);
  const ids: string[] = [];
  for (let i = 0; i < runs; i++) {
    const run = await heldRun(consumer.workspace.id, pkg, feeMicros);
    await finishRun(db, run, { status: "SUCCEEDED", usage }, { from: ["RUNNING"] });
    ids.push(run.id);
  }
  await matureEarnings(db, new Date());
  const link = await onboardingLink(provider.id, urls);
  expect(await fake.completeOnboarding(link)).toBe(urls.returnUrl);
  const account = (await db.provider.findUniqueOrThrow({ where: { id: provider.id } })).stripeAccountId!;
  expect(await processEvent(lastEvent("account.updated", account), connectHandlers)).toBe("processed");
  return { provider, owner, consumer, runs: ids, account };
}

const available = async (providerId: string) => {
  const a = await db.ledgerAccount.findUniqueOrThrow({ where: { id: earningsAccountId(providerId) } });
  return a.postedMicros - a.pendingDebitsMicros;
};
async function send(payoutId: string) {
  const row = await db.outbox.findUniqueOrThrow({ where: { idempotencyKey: `payout:${payoutId}` } });
  return outboxSenders.connect_transfer!(row as OutboxRow, client);
}

describe("Connect onboarding", () => {
  it("creates the Express account once, onboards through the link, and account.updated makes the provider payable", async () => {
    const { provider } = await createProvider("onboard");
    const first = await onboardingLink(provider.id, urls);
    const second = await onboardingLink(provider.id, urls);
    expect(first).not.toBe(second);
    const { stripeAccountId } = await db.provider.findUniqueOrThrow({ where: { id: provider.id } });
    expect(stripeAccountId).toMatch(/^acct_/);
    expect(fake.requests.filter((r) => r.method === "POST" && r.path === "/v1/accounts" && r.idempotencyKey === `connect-account:${provider.id}`)).toHaveLength(1);
    expect(await db.provider.findUniqueOrThrow({ where: { id: provider.id } })).toMatchObject({ connectTransfersActive: false });

    expect(await fake.completeOnboarding(first)).toBe(urls.returnUrl);
    expect(await fake.completeOnboarding(first)).toBe(urls.refreshUrl); // a used link sends the person to refresh_url
    const event = lastEvent("account.updated", stripeAccountId!);
    expect(await processEvent(event, connectHandlers)).toBe("processed");
    expect(await processEvent(event, connectHandlers)).toBe("duplicate");
    expect(await db.provider.findUniqueOrThrow({ where: { id: provider.id } })).toMatchObject({ connectDetailsSubmitted: true, connectPayoutsEnabled: true, connectTransfersActive: true, connectCurrentlyDue: [], connectDisabledReason: null });
  });

  it("the Connect endpoint takes events signed with its own secret only; the setup script makes that endpoint", async () => {
    const { provider } = await createProvider("connect-wh");
    await onboardingLink(provider.id, urls);
    const account = (await db.provider.findUniqueOrThrow({ where: { id: provider.id } })).stripeAccountId!;
    fake.setAccount(account, { payouts_enabled: true, details_submitted: true, capabilities: { transfers: "active" } });
    const event = fake.event("account.updated", fake.objects.get(account)!, undefined, account);
    const post = (secret: string) => {
      const payload = JSON.stringify(event);
      const signature = new Stripe("sk_test_signer").webhooks.generateTestHeaderString({ payload, secret });
      return connectWebhookRoute.POST(new NextRequest("http://127.0.0.1:3999/api/stripe/connect-webhook", { method: "POST", headers: { "content-type": "application/json", "stripe-signature": signature }, body: payload }));
    };
    expect((await post(fake.webhookSecret)).status).toBe(400); // the platform endpoint's secret is not this one's
    expect(await (await post(fake.connectWebhookSecret)).json()).toEqual({ received: true, outcome: "processed" });
    expect(await db.provider.findUniqueOrThrow({ where: { id: provider.id } })).toMatchObject({ connectTransfersActive: true, connectPayoutsEnabled: true });
    const lines = await stripeSetup("sk_test_agora_fake", fake.url, "agora_run_spend", "https://agora.example");
    expect(lines).toContain(`STRIPE_CONNECT_WEBHOOK_SECRET=${fake.connectWebhookSecret}`);
    expect(fake.requests.findLast((r) => r.path === "/v1/webhook_endpoints")?.body).toMatchObject({ url: "https://agora.example/api/stripe/connect-webhook", connect: "true", enabled_events: ["account.updated", "payout.failed"] });
  });

  it("payout.failed on the connected account is shown to the provider; the ledger does not move", async () => {
    const { provider, account } = await earningProvider("bankfail", 1, 40_000_000n);
    const before = await available(provider.id);
    const event = fake.event("payout.failed", { id: "po_x", object: "payout", failure_code: "account_closed", failure_message: "The bank account has been closed." }, undefined, account);
    expect(await processEvent(event, connectHandlers)).toBe("processed");
    expect((await db.provider.findUniqueOrThrow({ where: { id: provider.id } })).lastBankPayoutFailure).toMatchObject({ code: "account_closed", message: "The bank account has been closed." });
    expect(await available(provider.id)).toBe(before);
  });
});

describe("weekly payouts", () => {
  it("periods are ISO weeks (UTC)", () => {
    expect(isoWeek(new Date("2026-11-30T05:00:00Z"))).toBe("2026-W49");
    expect(isoWeek(new Date("2027-01-01T12:00:00Z"))).toBe("2026-W53");
    expect(isoWeek(new Date("2027-01-04T00:00:00Z"))).toBe("2027-W01");
  });

  it("matured earnings above the minimum: one transfer in cents, linked to the runs it pays, booked as paid", async () => {
    const { provider, account, runs } = await earningProvider("payout", 3, 12_345_678n);
    const matured = await available(provider.id);
    const at = nextWeek();
    const made = await createPayouts(db, at);
    const payout = await db.payout.findUniqueOrThrow({ where: { providerId_period: { providerId: provider.id, period: isoWeek(at) } }, include: { items: true } });
    expect(made).toContain(payout.id);
    expect(payout.amountMicros).toBe((matured / 10_000n) * 10_000n);
    expect(payout.items.map((i) => i.runId).sort()).toEqual([...runs].sort());
    await send(payout.id);
    const transfers = fake.requests.filter((r) => r.method === "POST" && r.path === "/v1/transfers" && r.body.destination === account);
    expect(transfers).toHaveLength(1);
    expect(transfers[0]).toMatchObject({ idempotencyKey: `payout:${payout.id}`, body: { amount: String(payout.amountMicros / 10_000n), currency: "usd", transfer_group: payout.id } });
    expect(await db.payout.findUniqueOrThrow({ where: { id: payout.id } })).toMatchObject({ status: "SENT", stripeTransferId: expect.stringMatching(/^tr_/) });
    expect(await available(provider.id)).toBe(matured - payout.amountMicros); // the sub-cent rest stays
    // transfer.created for it (a lost answer's backstop) changes nothing more.
    expect(await processEvent(lastEvent("transfer.created"))).toBe("processed");
  });

  it("below the minimum: no payout", async () => {
    const { provider } = await earningProvider("small", 1, 10_000_000n); // an $8 share
    await createPayouts(db, nextWeek());
    expect(await db.payout.count({ where: { providerId: provider.id } })).toBe(0);
  });

  it("the payout job twice at once → one payout, one transfer", async () => {
    const { provider } = await earningProvider("twice", 1, 40_000_000n);
    const at = nextWeek();
    await Promise.all([createPayouts(db, at), createPayouts(db, at)]);
    const payouts = await db.payout.findMany({ where: { providerId: provider.id } });
    expect(payouts).toHaveLength(1);
    // Even sent twice (a retry racing a lost answer), the payout's key makes it one transfer at Stripe.
    await Promise.all([send(payouts[0]!.id), send(payouts[0]!.id)]);
    expect([...fake.objects.values()].filter((o) => o.object === "transfer" && o.transfer_group === payouts[0]!.id)).toHaveLength(1);
    expect(await db.payout.findUniqueOrThrow({ where: { id: payouts[0]!.id } })).toMatchObject({ status: "SENT" });
  });

  it("a transfer Stripe refuses (400): the payout FAILED with Stripe's reason, the money back to matured", async () => {
    const { provider } = await earningProvider("refused", 1, 40_000_000n);
    const before = await available(provider.id);
    const made = await createPayouts(db, nextWeek());
    const payout = await db.payout.findFirstOrThrow({ where: { providerId: provider.id } });
    expect(made).toContain(payout.id);
    expect(await available(provider.id)).toBe(before - payout.amountMicros);
    const balance = fake.platformBalanceCents;
    fake.platformBalanceCents = 0;
    try {
      await expect(send(payout.id)).rejects.toBeInstanceOf(PermanentFailure);
    } finally {
      fake.platformBalanceCents = balance;
    }
    expect(await db.payout.findUniqueOrThrow({ where: { id: payout.id } })).toMatchObject({ status: "FAILED", failureCode: "balance_insufficient", failureMessage: expect.stringContaining("insufficient available funds") });
    expect(await available(provider.id)).toBe(before);
  });

  /** A provider's $40 payout, sent: its Stripe transfer, and the provider's available earnings after it. */
  async function sentPayout(label: string) {
    const { provider } = await earningProvider(label, 1, 40_000_000n);
    await createPayouts(db, nextWeek());
    const payout = await db.payout.findFirstOrThrow({ where: { providerId: provider.id } });
    await send(payout.id);
    const { stripeTransferId } = await db.payout.findUniqueOrThrow({ where: { id: payout.id } });
    return { provider, payout, after: await available(provider.id), stripeTransferId };
  }

  it("transfer.reversed gives the reversed part back to matured earnings with the reason, once per amount", async () => {
    const { provider, payout, after, stripeTransferId } = await sentPayout("reversed");
    const partial = fake.reverseTransfer(stripeTransferId!, 1_000, "Disputed run");
    expect(await processEvent(partial)).toBe("processed");
    expect(await processEvent({ ...partial, id: `${partial.id}_again` } as Stripe.Event)).toBe("processed"); // a second event, same amount: no second booking
    expect(await available(provider.id)).toBe(after + 10_000_000n);
    expect(await db.payout.findUniqueOrThrow({ where: { id: payout.id } })).toMatchObject({ status: "PARTIALLY_REVERSED", reversedMicros: 10_000_000n, reversalReason: "Disputed run" });
    expect(await processEvent(fake.reverseTransfer(stripeTransferId!))).toBe("processed");
    expect(await db.payout.findUniqueOrThrow({ where: { id: payout.id } })).toMatchObject({ status: "REVERSED", reversedMicros: payout.amountMicros, reversalReason: "Reversed in Stripe" });
    expect(await available(provider.id)).toBe(after + payout.amountMicros);
  });

  it("two transfer.reversed events processed at once (cumulative $10, then $30) give back $30, not $40", async () => {
    const { provider, payout, after, stripeTransferId } = await sentPayout("reversed-race");
    const first = fake.reverseTransfer(stripeTransferId!, 1_000, "Disputed run");
    const second = fake.reverseTransfer(stripeTransferId!, 2_000, "Disputed run");
    expect(await Promise.all([processEvent(second), processEvent(first)])).toEqual(["processed", "processed"]);
    expect(await available(provider.id)).toBe(after + 30_000_000n);
    expect(await db.payout.findUniqueOrThrow({ where: { id: payout.id } })).toMatchObject({ status: "PARTIALLY_REVERSED", reversedMicros: 30_000_000n });
  });

  it("a refund of a run already paid out is owed back and recovered from the next payout", async () => {
    const { provider, runs } = await earningProvider("clawback", 2, 40_000_000n);
    const admin = await createUser("clawback-admin");
    await createPayouts(db, nextWeek());
    const first = await db.payout.findFirstOrThrow({ where: { providerId: provider.id } });
    await send(first.id);
    expect((await refundRun(db, { runId: runs[0]!, actorUserId: admin.user.id, memo: "refund" })).share).toBe("clawback");
    const share = (await db.run.findUniqueOrThrow({ where: { id: runs[0]! } })).providerShareMicros;
    // New earnings: two more runs' worth, enough for the clawback and a payout over the minimum.
    const pkg = await db.agentPackage.findFirstOrThrow({ where: { providerId: provider.id } });
    const consumer = await createUser("clawback-c2");
    await setWallet(consumer.workspace.id, 200_000_000n);
    for (let i = 0; i < 2; i++) await finishRun(db, await heldRun(consumer.workspace.id, pkg, 40_000_000n), { status: "SUCCEEDED", usage }, { from: ["RUNNING"] });
    await matureEarnings(db, new Date());
    const before = await available(provider.id);
    await createPayouts(db, nextWeek());
    expect((await db.shareClawback.findUniqueOrThrow({ where: { runId: runs[0]! } })).recoveredAt).not.toBeNull();
    const second = await db.payout.findFirstOrThrow({ where: { providerId: provider.id, id: { not: first.id } } });
    expect(second.amountMicros).toBe(((before - share) / 10_000n) * 10_000n);
  });
});

describe("routes", () => {
  it("authorization: anonymous 401; a member 403; another workspace's owner 404 (it is no provider); the provider's owner sees only its own; admin-only refund, fee and clock", async () => {
    const { provider, owner, runs, account } = await earningProvider("routes", 2, 40_000_000n);
    const other = await createUser("routes-other");
    const member = await createUser("routes-member");
    await joinWorkspace(member.user.id, owner.workspace.id, "MEMBER");
    const admin = await createUser("routes-admin");
    await db.user.update({ where: { id: admin.user.id }, data: { isAdmin: true } });
    const cookies = {
      anonymous: undefined,
      member: await sessionCookie(member.user.id, owner.workspace.id),
      other: await sessionCookie(other.user.id),
      owner: await sessionCookie(owner.user.id),
      admin: await sessionCookie(admin.user.id),
    };
    const as = (cookie: string | undefined) => (cookie ? { cookie } : undefined);
    const providerRoutes = [
      (c?: string) => callRoute(earningsRoute.GET, { headers: as(c) }),
      (c?: string) => callRoute(payoutsRoute.GET, { headers: as(c) }),
      (c?: string) => callRoute(connectRoute.POST, { method: "POST", headers: as(c) }),
      (c?: string) => callRoute(connectReturnRoute.GET, { headers: as(c) }),
      (c?: string) => callRoute(connectRefreshRoute.GET, { headers: as(c) }),
      (c?: string) => callRoute(connectDashboardRoute.POST, { method: "POST", headers: as(c) }),
    ];
    for (const call of providerRoutes) {
      expect((await call(cookies.anonymous)).status).toBe(401);
      expect((await call(cookies.member)).status).toBe(403);
      expect((await call(cookies.other)).status).toBe(404);
      expect((await call(cookies.admin)).status).toBe(404); // an admin's own workspace is no provider: no one else's earnings
    }
    const earnings = await callRoute(earningsRoute.GET, { headers: as(cookies.owner) });
    expect(earnings.status).toBe(200);
    const body = earnings.body as unknown as { balances: { maturedMicros: number; pendingMicros: number }; weeks: { maturedMicros: number }[]; connect: { transfersActive: boolean } };
    expect(body.balances.maturedMicros).toBe(Number(await available(provider.id)));
    expect(body.weeks.reduce((a, w) => a + w.maturedMicros, 0)).toBe(body.balances.maturedMicros);
    expect(body.connect.transfersActive).toBe(true);
    expect((await callRoute(connectReturnRoute.GET, { headers: as(cookies.owner) })).headers.get("location")).toMatch(/\/provider#payouts$/);
    expect((await callRoute(connectRefreshRoute.GET, { headers: as(cookies.owner) })).headers.get("location")).toMatch(/\/connect\/onboarding\//);
    expect(((await callRoute(connectDashboardRoute.POST, { method: "POST", headers: as(cookies.owner) })).body as unknown as { url: string }).url).toContain(account);

    await createPayouts(db, nextWeek());
    const page = await callRoute(payoutsRoute.GET, { path: "/api/v1/provider/payouts?limit=1", headers: as(cookies.owner) });
    expect(page.body).toMatchObject({ data: [{ status: "PENDING", runCount: 2 }] });
    expect((await callRoute(payoutsRoute.GET, { path: "/api/v1/provider/payouts?cursor=bogus", headers: as(cookies.owner) })).status).toBe(400);

    const refund = (c: string | undefined, reason: unknown = "Customer complaint") => callRoute(refundRoute.POST, { method: "POST", params: { id: runs[1]! }, body: JSON.stringify({ reason }), headers: as(c) });
    expect((await refund(cookies.anonymous)).status).toBe(401);
    expect((await refund(cookies.owner)).status).toBe(403);
    expect((await refund(cookies.admin, "")).body?.error.details.issues[0]?.path).toBe("reason");
    const done = await refund(cookies.admin);
    expect(done.status).toBe(200);
    expect(done.body).toMatchObject({ share: "clawback" }); // its share is in the payout being sent
    expect((await refund(cookies.admin)).status).toBe(409);
    expect((await callRoute(refundRoute.POST, { method: "POST", params: { id: "no-such-run" }, body: JSON.stringify({ reason: "nope nope" }), headers: as(cookies.admin) })).status).toBe(404);

    const fee = (c: string | undefined, platformFeeBps: unknown) => callRoute(adminProviderRoute.PATCH, { method: "PATCH", params: { id: provider.id }, body: JSON.stringify({ platformFeeBps }), headers: as(c) });
    expect((await fee(cookies.owner, 0)).status).toBe(403);
    expect((await fee(cookies.admin, 10_001)).body?.error.details.issues[0]?.path).toBe("platformFeeBps");
    expect((await fee(cookies.admin, 1_500)).body).toMatchObject({ platformFeeBps: 1_500, effectiveFeeBps: 1_500 });
    expect(await db.auditLog.findFirst({ where: { action: "admin.provider.fee", target: provider.id } })).toMatchObject({ metadata: { before: { platformFeeBps: null }, changes: { platformFeeBps: 1_500 } } });

    const clock = (c: string | undefined) => callRoute(clockRoute.POST, { method: "POST", body: JSON.stringify({ advanceMs: 1_000 }), headers: as(c) });
    expect((await clock(cookies.anonymous)).status).toBe(401);
    expect((await clock(cookies.owner)).status).toBe(403);
    expect((await clock(cookies.admin)).status).toBe(404); // AGORA_TEST_CLOCK is off in this file
  });
});
