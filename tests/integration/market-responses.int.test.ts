import { randomUUID } from "node:crypto";
import { afterAll, describe, expect, it } from "vitest";
import * as workRoute from "@/app/api/v1/work/route";
import * as bidsRoute from "@/app/api/v1/work/[id]/bids/route";
import * as withdrawRoute from "@/app/api/v1/work/[id]/bids/[bidId]/withdraw/route";
import * as awardRoute from "@/app/api/v1/work/[id]/award/route";
import * as cancelRoute from "@/app/api/v1/work/[id]/cancel/route";
import * as connectRoute from "@/app/api/v1/provider/connect/route";
import { resetStripeClient } from "@/lib/billing/stripe-client";
import { bidJsonSchema, workJsonSchema } from "@/lib/exchange/work-json-schemas";
import { connectLinkSchema } from "@/lib/payouts/schemas";
import { startFakeStripe } from "../fakes/stripe-server";
import { callRoute, sessionCookie } from "../helpers/call-route";
import { createUser, setWallet } from "../helpers/factories";
import { expectLedgerInvariantsAfterEach } from "../helpers/lifecycle";
import { createProvider, thirdPartyPackage } from "../helpers/market";

// The success answers of the exchange and provider routes that no other file calls
// through their handler (bid, withdraw, award, cancel, Connect onboarding): while
// tests run, the route wrapper checks each success body against the route's
// declared `response` schema (a mismatch is a 500), so these prove the schemas too.

const fake = await startFakeStripe();
Object.assign(process.env, { STRIPE_SECRET_KEY: "sk_test_agora_fake", STRIPE_WEBHOOK_SECRET: fake.webhookSecret, STRIPE_CONNECT_WEBHOOK_SECRET: fake.connectWebhookSecret, STRIPE_API_BASE: fake.url });
resetStripeClient();
afterAll(() => fake.close());
expectLedgerInvariantsAfterEach();

const HOUR = 3_600_000;
const post = (handler: Parameters<typeof callRoute>[0], cookie: string, params: Record<string, string>, body?: object) =>
  callRoute(handler, { method: "POST", headers: { cookie }, params, ...(body && { body: JSON.stringify(body) }) });

/** A buyer (its session) with a funded wallet, and a work it posted through the route. */
async function postedWork(budgetMicros = 5_000_000) {
  const buyer = await createUser("resp-buyer");
  await setWallet(buyer.workspace.id, 20_000_000n);
  const cookie = await sessionCookie(buyer.user.id);
  const body = {
    title: "Summarize the quarterly report", input: { text: "Revenue grew." }, budgetMicros, capabilities: [`cap-${randomUUID().slice(0, 8)}`],
    acceptance: { outputSchema: { type: "object", required: ["summary"], properties: { summary: { type: "string" } } }, checks: [{ type: "required", paths: ["/summary"] }] },
    bidDeadline: new Date(Date.now() + HOUR).toISOString(), deliveryDeadline: new Date(Date.now() + 3 * HOUR).toISOString(),
  };
  const res = await callRoute(workRoute.POST, { method: "POST", path: "/api/v1/work", headers: { cookie }, body: JSON.stringify(body) });
  expect(res.status).toBe(201);
  return { cookie, work: workJsonSchema.parse(res.body) };
}

describe("exchange routes answer with their documented shapes", () => {
  it("a package bid and a hand bid (201), the hand bid withdrawn, the package bid awarded: the work AWARDED with its contract", async () => {
    const { cookie: buyerCookie, work } = await postedWork();
    const { owner, provider } = await createProvider("resp-seller");
    const pkg = await thirdPartyPackage(provider.id, 10_000n);
    const sellerCookie = await sessionCookie(owner.user.id);

    const packageBid = await post(bidsRoute.POST, sellerCookie, { id: work.id }, { package: pkg.slug, priceMicros: 3_000_000, promisedMinutes: 30 });
    expect(packageBid.status).toBe(201);
    expect(bidJsonSchema.parse(packageBid.body)).toMatchObject({ workId: work.id, status: "ACTIVE", package: { slug: pkg.slug, version: "1.0.0" }, provider: { slug: provider.slug } });
    const handBid = await post(bidsRoute.POST, sellerCookie, { id: work.id }, { priceMicros: 4_000_000, promisedMinutes: 60, note: "By hand." });
    expect(handBid.status).toBe(201);
    expect(handBid.body).toMatchObject({ package: null, note: "By hand.", auto: false });

    const withdrawn = await post(withdrawRoute.POST, sellerCookie, { id: work.id, bidId: String(handBid.body!.id) });
    expect(withdrawn.status).toBe(200);
    expect(bidJsonSchema.parse(withdrawn.body)).toMatchObject({ id: handBid.body!.id, status: "WITHDRAWN" });

    const awarded = await post(awardRoute.POST, buyerCookie, { id: work.id }, { bidId: String(packageBid.body!.id) });
    expect(awarded.status).toBe(200);
    const contract = workJsonSchema.parse(awarded.body).contract;
    expect(awarded.body).toMatchObject({ id: work.id, status: "AWARDED", mine: true });
    expect(contract).toMatchObject({ bidId: packageBid.body!.id, priceMicros: 3_000_000, package: { slug: pkg.slug, version: "1.0.0" }, deliveries: [], settledAt: null });
  });

  it("cancel answers with the CANCELED work", async () => {
    const { cookie, work } = await postedWork();
    const canceled = await post(cancelRoute.POST, cookie, { id: work.id });
    expect(canceled.status).toBe(200);
    expect(workJsonSchema.parse(canceled.body)).toMatchObject({ id: work.id, status: "CANCELED", contract: null });
  });
});

describe("provider Connect onboarding", () => {
  it("answers with a Stripe onboarding link for the workspace owner", async () => {
    const { owner } = await createProvider("resp-connect");
    const res = await callRoute(connectRoute.POST, { method: "POST", path: "/api/v1/provider/connect", headers: { cookie: await sessionCookie(owner.user.id) } });
    expect(res.status).toBe(200);
    expect(connectLinkSchema.parse(res.body).url).toMatch(/^https?:\/\//);
  });
});
