import { afterAll, describe, expect, it } from "vitest";
import { NextRequest } from "next/server";
import Stripe from "stripe";
import { POST as webhookRoute } from "@/app/api/stripe/webhook/route";
import { GET as billingRoute } from "@/app/api/v1/billing/route";
import { verifyEmail } from "@/lib/accounts/email-verification";
import { principalFromUser } from "@/lib/auth/principal";
import { createCheckout, createPortalSession } from "@/lib/billing/checkout";
import { ensureStripeCustomer } from "@/lib/billing/customer";
import { drainOutbox } from "@/lib/billing/outbox";
import { outboxSenders } from "@/lib/billing/outbox-senders";
import { createStripe } from "@/lib/billing/stripe-client";
import { getDb } from "@/lib/db/client";
import { workspaceBalance } from "@/lib/ledger/ledger";
import { acceptRun } from "@/lib/runs/accept-run";
import { startFakeStripe } from "../fakes/stripe-server";
import { startAppProcess } from "../helpers/app-process";
import { callRoute, sessionCookie } from "../helpers/call-route";
import { createUser, setWallet, tokenFromLink } from "../helpers/factories";
import { waitForMail } from "../helpers/mailbox";
import { runToEnd, scannerInput, testExecutor } from "../helpers/run-harness";
import { expectLedgerInvariantsAfterEach } from "../helpers/lifecycle";

// Stripe billing (SPEC §8) with the real SDK against the fake Stripe server:
// signed webhooks applied once, in any order; top-ups, plans, past due,
// refunds; meter events and auto top-ups through the Outbox.

const fake = await startFakeStripe();
Object.assign(process.env, { STRIPE_SECRET_KEY: "sk_test_agora_fake", STRIPE_WEBHOOK_SECRET: fake.webhookSecret, STRIPE_API_BASE: fake.url });
const db = getDb();
const signer = new Stripe("sk_test_signer");
const APP = "http://127.0.0.1:3999";
const BASIC_PRICE = "price_test_basic_monthly";
await db.tier.updateMany({ where: { code: "basic", stripePriceId: null }, data: { stripePriceId: BASIC_PRICE } });

afterAll(() => fake.close());
expectLedgerInvariantsAfterEach();

/** Delivers an event to the webhook route as Stripe would: the JSON body, signed. */
async function deliver(event: Stripe.Event, opts: { secret?: string; timestamp?: number; body?: string } = {}) {
  const payload = JSON.stringify(event);
  const signature = signer.webhooks.generateTestHeaderString({ payload, secret: opts.secret ?? fake.webhookSecret, timestamp: opts.timestamp });
  const req = new NextRequest(`${APP}/api/stripe/webhook`, { method: "POST", headers: { "content-type": "application/json", "stripe-signature": signature }, body: opts.body ?? payload });
  const res = await webhookRoute(req);
  return { status: res.status, body: (await res.json()) as { outcome?: string; error?: { code: string } } };
}

async function owner(label: string, tier?: "pro", verified = true) {
  const u = await createUser(label, { tier, verified });
  return { ...u, balance: async () => (await workspaceBalance(db, u.workspace.id)).availableMicros };
}

async function topUp(o: Awaited<ReturnType<typeof owner>>, amountMicros = 10_000_000) {
  const { url } = await createCheckout(o.principal, { kind: "top_up", amountMicros }, APP, null);
  const sessionId = url.split("/").pop()!;
  return { sessionId, events: fake.completeCheckout(sessionId) };
}

describe("webhook signature", () => {
  it("a bad signature, a tampered body or a stale timestamp → 400, and nothing changes", async () => {
    const o = await owner("wh-sig");
    const { events } = await topUp(o);
    const [completed] = events;
    const before = await o.balance();
    const tampered = JSON.stringify({ ...completed, data: { object: { ...(completed!.data.object as object), amount_total: 999_999 } } });
    for (const attempt of [
      deliver(completed!, { secret: "whsec_wrong" }),
      deliver(completed!, { body: tampered }),
      deliver(completed!, { timestamp: Math.floor(Date.now() / 1000) - 301 }),
    ]) {
      const res = await attempt;
      expect(res.status).toBe(400);
      expect(res.body.error?.code).toBe("invalid_signature");
    }
    const unsigned = await webhookRoute(new NextRequest(`${APP}/api/stripe/webhook`, { method: "POST", body: JSON.stringify(completed) }));
    expect(unsigned.status).toBe(400);
    expect(await o.balance()).toBe(before);
    expect(await db.stripeEvent.count({ where: { id: completed!.id } })).toBe(0);
  });
});

describe("top-ups", () => {
  it("the same checkout.session.completed 3 times at once → one credit; another event for the same payment → none", async () => {
    const o = await owner("wh-topup");
    const before = await o.balance();
    const { events } = await topUp(o, 10_000_000);
    const results = await Promise.all([deliver(events[0]!), deliver(events[0]!), deliver(events[0]!)]);
    expect(results.map((r) => r.status)).toEqual([200, 200, 200]);
    expect(results.map((r) => r.body.outcome).sort()).toEqual(["duplicate", "duplicate", "processed"]);
    expect(await o.balance()).toBe(before + 10_000_000n);
    // A second, different event about the same PaymentIntent.
    const again = fake.event("checkout.session.completed", events[0]!.data.object as { id: string });
    expect((await deliver(again)).body.outcome).toBe("processed");
    expect(await o.balance()).toBe(before + 10_000_000n);
    const credits = await db.transfer.findMany({ where: { workspaceId: o.workspace.id, reason: "top_up" } });
    expect(credits).toHaveLength(1);
    expect(credits[0]!.externalRef).toMatch(/^pi_/);
    // The card is saved for auto top-up.
    expect((await db.workspace.findUniqueOrThrow({ where: { id: o.workspace.id } })).stripePaymentMethodId).toMatch(/^pm_/);
  });

  it("the first top-up of a never-verified workspace brings the $1 starting credit, once; verifying later adds nothing", async () => {
    const o = await owner("wh-unverified", undefined, false);
    expect(await o.balance()).toBe(0n);
    for (const expected of [11_000_000n, 21_000_000n]) {
      const { events } = await topUp(o, 10_000_000);
      expect((await deliver(events[0]!)).body.outcome).toBe("processed");
      expect(await o.balance()).toBe(expected);
    }
    const { link } = await waitForMail(o.email, /Verify your e-mail/);
    await expect(verifyEmail(tokenFromLink(link), null)).resolves.toEqual({ startingCreditGranted: false });
    expect(await o.balance()).toBe(21_000_000n);
    expect(await db.transfer.count({ where: { workspaceId: o.workspace.id, reason: "included_credits" } })).toBe(1);
  });

  it("top-up amounts are validated: at least $5, whole cents, owners only", async () => {
    const o = await owner("wh-amounts");
    await expect(createCheckout(o.principal, { kind: "top_up", amountMicros: 4_990_000 }, APP, null)).resolves.toBeDefined(); // the schema, not this function, checks amounts
    const { checkoutBodySchema } = await import("@/lib/billing/checkout");
    expect(checkoutBodySchema.safeParse({ kind: "top_up", amountMicros: 4_990_000 }).success).toBe(false);
    expect(checkoutBodySchema.safeParse({ kind: "top_up", amountMicros: 10_000_001 }).success).toBe(false);
    expect(checkoutBodySchema.safeParse({ kind: "top_up", amountMicros: 10_000_000, tier: "pro" }).success).toBe(false);
    expect(checkoutBodySchema.safeParse({ kind: "top_up", amountMicros: 25_500_000 }).success).toBe(true);
    const member = await createUser("wh-member");
    await db.membership.create({ data: { userId: member.user.id, workspaceId: o.workspace.id, role: "MEMBER" } });
    const asMember = await principalFromUser(member.user.id, o.workspace.id);
    await expect(createCheckout(asMember, { kind: "top_up", amountMicros: 10_000_000 }, APP, null)).rejects.toMatchObject({ code: "forbidden" });
  });

  it("the Stripe customer is created once, even by concurrent first requests", async () => {
    const o = await owner("wh-customer");
    const ids = await Promise.all(Array.from({ length: 5 }, () => ensureStripeCustomer(o.workspace.id)));
    expect(new Set(ids).size).toBe(1);
    const created = fake.requests.filter((r) => r.path === "/v1/customers" && (r.body.metadata as { workspaceId?: string })?.workspaceId === o.workspace.id);
    expect(new Set(created.map((r) => r.idempotencyKey))).toEqual(new Set([`agora-customer-${o.workspace.id}`]));
    const portal = await createPortalSession(o.principal, APP);
    expect(portal.url).toMatch(new RegExp(`^${fake.url}/portal/bps_`));
  });

  it("a refund takes the credit back, once", async () => {
    const o = await owner("wh-refund");
    const before = await o.balance();
    const { events } = await topUp(o, 20_000_000);
    await deliver(events[0]!);
    const session = events[0]!.data.object as { payment_intent: string; customer: string };
    const charge = (refunded: number) => fake.event("charge.refunded", { id: "ch_refund_test_" + session.payment_intent, object: "charge", amount: 2_000, amount_refunded: refunded, payment_intent: session.payment_intent, customer: session.customer });
    await deliver(charge(500)); // a partial refund of $5
    expect(await o.balance()).toBe(before + 15_000_000n);
    await deliver(charge(500)); // the same step again (another event id)
    expect(await o.balance()).toBe(before + 15_000_000n);
    await deliver(charge(2_000)); // the rest
    expect(await o.balance()).toBe(before);
  });
});

describe("plans", () => {
  it("subscription events in any order end in the right tier; invoice.paid twice grants once", async () => {
    const o = await owner("wh-plan");
    const before = await o.balance();
    const { url } = await createCheckout(o.principal, { kind: "subscription", tier: "basic" }, APP, null);
    const [completed, created, paid] = fake.completeCheckout(url.split("/").pop()!);
    // Out of order: the invoice first, then the checkout, then the subscription.
    expect((await deliver(paid!)).status).toBe(200);
    expect((await deliver(completed!)).status).toBe(200);
    expect((await deliver(created!)).status).toBe(200);
    const w = await db.workspace.findUniqueOrThrow({ where: { id: o.workspace.id } });
    expect(w).toMatchObject({ tierCode: "basic", stripeSubscriptionStatus: "active" });
    // invoice.paid was applied before the workspace knew its subscription: the customer is what links them.
    expect(await o.balance()).toBe(before + 30_000_000n);
    await deliver(paid!);
    await deliver(fake.event("invoice.paid", paid!.data.object as { id: string }));
    expect(await o.balance()).toBe(before + 30_000_000n);

    // Canceled at Stripe; an old "created" event delivered late still ends on the latest state.
    const subId = (created!.data.object as { id: string }).id;
    fake.setSubscription(subId, { status: "canceled" });
    await deliver(fake.event("customer.subscription.deleted", fake.objects.get(subId)!));
    await deliver(fake.event("customer.subscription.created", { ...(created!.data.object as { id: string }), status: "active" }));
    expect(await db.workspace.findUniqueOrThrow({ where: { id: o.workspace.id }, select: { tierCode: true } })).toEqual({ tierCode: "free" });
    const audit = await db.auditLog.findMany({ where: { workspaceId: o.workspace.id, action: "billing.tier_changed" }, orderBy: { createdAt: "asc" } });
    expect(audit.map((a) => (a.metadata as { to: string }).to)).toEqual(["basic", "free"]);
  });

  it("a failed payment: runs work through the grace period, then 402 payment_past_due, and again once paid", async () => {
    const o = await owner("wh-pastdue");
    const customer = await ensureStripeCustomer(o.workspace.id);
    const invoice = { id: "in_pastdue_" + o.workspace.id, object: "invoice", customer, amount_due: 2_900, lines: { data: [] }, parent: null };
    const executor = testExecutor();
    await deliver(fake.event("invoice.payment_failed", invoice, Math.floor(Date.now() / 1000) - 3 * 86_400));
    await runToEnd(executor, await principalFromUser(o.user.id)); // 3 days in: still within the 7-day grace
    await deliver(fake.event("invoice.payment_failed", invoice, Math.floor(Date.now() / 1000))); // a later failure keeps the first date
    await db.workspace.update({ where: { id: o.workspace.id }, data: { pastDueSince: new Date(Date.now() - 8 * 86_400_000) } }); // time passes
    const err = await acceptRun(await principalFromUser(o.user.id), { agent: "security-scanner", input: scannerInput }, { executor }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: "payment_past_due", status: 402, details: { billingUrl: "/billing" } });
    await deliver(fake.event("invoice.paid", invoice));
    expect((await runToEnd(executor, await principalFromUser(o.user.id))).run.status).toBe("SUCCEEDED");
  });
});

describe("the Outbox", () => {
  it("meter events: each settled METERED run sent once with its run id, through 500s and 429s and a process that died mid-send", async () => {
    const o = await owner("wh-metered", "pro");
    const customer = await ensureStripeCustomer(o.workspace.id);
    await db.workspace.update({ where: { id: o.workspace.id }, data: { paymentMode: "METERED", monthlySpendCapMicros: 1_000_000n } });
    await setWallet(o.workspace.id, 0n); // metered runs do not use the wallet
    const principal = await principalFromUser(o.user.id);
    const executor = testExecutor();
    const runs = [];
    for (let i = 0; i < 4; i++) runs.push((await runToEnd(executor, principal)).run);
    expect(runs.every((r) => r.status === "SUCCEEDED" && r.priceMicros === 2_000n)).toBe(true);
    const rows = await db.outbox.findMany({ where: { workspaceId: o.workspace.id, kind: "meter_event" } });
    expect(rows.map((r) => r.idempotencyKey).sort()).toEqual(runs.map((r) => `meter:${r.id}`).sort());

    // A process claimed one row and died before sending it.
    const client = createStripe("sk_test_agora_fake", fake.url, 0);
    await db.outbox.update({ where: { id: rows[0]!.id }, data: { nextAttemptAt: new Date(Date.now() + 60_000) } });
    fake.failNext(2, 500, "/v1/billing/meter_events");
    fake.failNext(1, 429, "/v1/billing/meter_events");
    let t = Date.now();
    for (let round = 0; round < 10; round++) {
      await drainOutbox(db, outboxSenders, { stripe: client, now: new Date(t) });
      t += 11 * 60_000; // past the longest backoff, and past the dead process's claim
    }
    const mine = fake.meterEvents.filter((e) => e.payload.stripe_customer_id === customer);
    expect(mine.map((e) => e.identifier).sort()).toEqual(runs.map((r) => r.id).sort());
    expect(mine.every((e) => e.payload.value === "2000" && e.event_name === "agora_run_spend")).toBe(true);
    expect(await db.outbox.count({ where: { workspaceId: o.workspace.id, sentAt: null } })).toBe(0);
    const retried = await db.outbox.findMany({ where: { workspaceId: o.workspace.id, attempts: { gt: 1 } } });
    expect(retried.length).toBeGreaterThanOrEqual(1);
    // The cap plays the balance's role: past it, metered runs are refused.
    await db.workspace.update({ where: { id: o.workspace.id }, data: { monthlySpendCapMicros: 9_000n } });
    await expect(acceptRun(await principalFromUser(o.user.id), { agent: "security-scanner", input: scannerInput }, { executor })).rejects.toMatchObject({ code: "spend_cap_reached" });
  });

  it("meter events pending when the app process dies are sent by the next process to start, once each, through a 500 and a 429", async () => {
    const o = await owner("wh-restart", "pro");
    const customer = await ensureStripeCustomer(o.workspace.id);
    await db.workspace.update({ where: { id: o.workspace.id }, data: { paymentMode: "METERED", monthlySpendCapMicros: 1_000_000n } });
    const env = { AGORA_OUTBOX_INTERVAL_MS: "100" };

    // The first process settles three runs and is killed before its Outbox worker sends anything.
    const first = startAppProcess(["metered", o.user.id], env);
    const ids = (await first.firstLine()).split(",");
    first.child.kill("SIGKILL");
    expect(ids, first.stderr()).toHaveLength(3);
    expect(await db.outbox.count({ where: { workspaceId: o.workspace.id, kind: "meter_event", sentAt: null } })).toBe(3);
    expect(fake.meterEvents.filter((e) => e.payload.stripe_customer_id === customer)).toEqual([]);

    // The next process's real Outbox worker sends them, through Stripe failing twice.
    fake.failNext(1, 500, "/v1/billing/meter_events");
    fake.failNext(1, 429, "/v1/billing/meter_events");
    const second = startAppProcess(["outbox", o.workspace.id], env);
    expect(await second.exited, second.stderr()).toBe(0);
    const sent = fake.meterEvents.filter((e) => e.payload.stripe_customer_id === customer);
    expect(sent.map((e) => e.identifier).sort()).toEqual([...ids].sort());
    expect(await db.outbox.count({ where: { workspaceId: o.workspace.id, attempts: { gt: 1 } } })).toBeGreaterThanOrEqual(1);
  }, 90_000);

  it("auto top-up fires once per threshold crossing, not once per run, and is credited once", async () => {
    const o = await owner("wh-auto");
    const { events } = await topUp(o, 10_000_000); // saves the card
    await deliver(events[0]!);
    await setWallet(o.workspace.id, 10_000n); // $0.01: five runs at $0.002
    await db.workspace.update({ where: { id: o.workspace.id }, data: { autoTopUpThresholdMicros: 7_000n, autoTopUpAmountMicros: 5_000_000n } });
    const executor = testExecutor();
    const principal = await principalFromUser(o.user.id);
    for (let i = 0; i < 4; i++) await runToEnd(executor, principal); // 10,000 → 2,000: under the threshold after the 2nd run
    const rows = () => db.outbox.findMany({ where: { workspaceId: o.workspace.id, kind: "auto_top_up" } });
    expect(await rows()).toHaveLength(1);
    const client = createStripe("sk_test_agora_fake", fake.url, 0);
    await drainOutbox(db, outboxSenders, { stripe: client });
    expect(await o.balance()).toBe(2_000n + 5_000_000n);
    const audit = await db.auditLog.findMany({ where: { workspaceId: o.workspace.id, action: "billing.auto_top_up" } });
    expect(audit.map((a) => (a.metadata as { outcome: string }).outcome)).toEqual(["succeeded"]);
    // Re-armed by the credit (back over the threshold); the next crossing fires once more.
    await setWallet(o.workspace.id, 8_000n);
    for (let i = 0; i < 3; i++) await runToEnd(executor, principal);
    expect(await rows()).toHaveLength(2);
    // The billing API shows the last attempt.
    const res = await callRoute(billingRoute, { headers: { cookie: await sessionCookie(o.user.id) } });
    expect(res.body).toMatchObject({ configured: true, autoTopUp: { thresholdMicros: 7_000, amountMicros: 5_000_000, hasPaymentMethod: true, last: { outcome: "succeeded" } } });
  });
});
