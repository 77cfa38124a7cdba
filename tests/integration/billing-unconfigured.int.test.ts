import { afterAll, describe, expect, it } from "vitest";
import { NextRequest } from "next/server";
import { POST as webhookRoute } from "@/app/api/stripe/webhook/route";
import { POST as checkoutRoute } from "@/app/api/v1/billing/checkout/route";
import { GET as billingRoute } from "@/app/api/v1/billing/route";
import { GET as ledgerRoute } from "@/app/api/v1/billing/ledger/route";
import { startFakeStripe } from "../fakes/stripe-server";
import { callRoute, sessionCookie } from "../helpers/call-route";
import { createUser } from "../helpers/factories";
import { runToEnd, testExecutor } from "../helpers/run-harness";
import { stripeSetup } from "../../scripts/stripe-setup";

// Without STRIPE_SECRET_KEY (this file's environment) everything but paying works;
// and `npm run stripe:setup` against the fake creates what the README says.

delete process.env.STRIPE_SECRET_KEY;
delete process.env.STRIPE_WEBHOOK_SECRET;
const fake = await startFakeStripe();
afterAll(() => fake.close());

describe("billing without Stripe", () => {
  it("the billing API says it is not configured, still shows plans, balance and the wallet's history; paying is 503", async () => {
    const { user } = await createUser("unconfigured");
    const cookie = await sessionCookie(user.id);
    const res = await callRoute(billingRoute, { headers: { cookie } });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ configured: false, canManage: true, plan: { tier: "free" }, balance: { availableMicros: 1_000_000 }, invoices: [] });
    // The four plans, cheapest first (tiers other tests create for themselves sort after them).
    expect((res.body as unknown as { plans: { code: string }[] }).plans.map((p) => p.code).slice(0, 4)).toEqual(["free", "basic", "pro", "enterprise"]);
    const history = await callRoute(ledgerRoute, { headers: { cookie } });
    expect(history.body).toMatchObject({ data: [{ reason: "included_credits", amountMicros: 1_000_000 }], nextCursor: null });
    const checkout = await callRoute(checkoutRoute, { method: "POST", headers: { cookie, origin: "http://127.0.0.1:3999", host: "127.0.0.1:3999" }, body: JSON.stringify({ kind: "top_up", amountMicros: 10_000_000 }) });
    expect(checkout.status).toBe(503);
    expect(checkout.body!.error.code).toBe("billing_not_configured");
    const hook = await webhookRoute(new NextRequest("http://127.0.0.1:3999/api/stripe/webhook", { method: "POST", body: "{}", headers: { "stripe-signature": "t=1,v1=x" } }));
    expect(hook.status).toBe(503);
  });

  it("the wallet's history names the agent of a run charge, not only its run id", async () => {
    const { user, principal } = await createUser("history-names");
    const { run } = await runToEnd(testExecutor(), principal);
    expect(run.status).toBe("SUCCEEDED");
    const history = await callRoute(ledgerRoute, { headers: { cookie: await sessionCookie(user.id) } });
    expect((history.body as unknown as { data: unknown[] }).data).toContainEqual(expect.objectContaining({ reason: "run_charge", runId: run.id, agentName: "Security Scanner" }));
  });

  it("bad checkout bodies are 400 with field paths", async () => {
    const { user } = await createUser("unconfigured-bad");
    const cookie = await sessionCookie(user.id);
    for (const body of [{ kind: "top_up", amountMicros: 1_000_000 }, { kind: "top_up", amountMicros: 10_000_001 }, { kind: "subscription", tier: "enterprise" }, { kind: "gift" }]) {
      const res = await callRoute(checkoutRoute, { method: "POST", headers: { cookie }, body: JSON.stringify(body) });
      expect(res.status, JSON.stringify(body)).toBe(400);
    }
  });

  it("npm run stripe:setup creates the plans' prices and the meter, and prints the environment", async () => {
    const lines = await stripeSetup("sk_test_setup", fake.url);
    expect(lines[0]).toMatch(/^STRIPE_PRICE_BASIC=price_/);
    expect(lines[1]).toMatch(/^STRIPE_PRICE_PRO=price_/);
    const prices = [...fake.objects.values()].filter((o) => o.object === "price");
    expect(prices.map((p) => p.unit_amount).filter(Boolean).sort()).toEqual([19_900, 2_900]);
    expect([...fake.objects.values()].find((o) => o.object === "billing.meter")).toMatchObject({ event_name: "agora_run_spend" });
  });
});
