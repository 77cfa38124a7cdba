// npm run stripe:setup — creates Agora's products and prices in the Stripe account of
// STRIPE_SECRET_KEY (STRIPE_API_BASE for another host): the Basic and Pro monthly plans
// (prices from the Tier table's defaults), the billing meter for metered runs, and its
// usage price; with an app URL (AGORA_APP_URL, or NEXTAUTH_URL), the Connect webhook endpoint
// (account.updated, payout.failed of providers' accounts: its own secret); then prints the environment lines to set. Idempotent at Stripe's side
// for one day (idempotency keys); run it once per account.
import Stripe from "stripe";
import { createStripe } from "../lib/billing/stripe-client";
import { defaultTiers } from "../lib/db/seed";

export async function stripeSetup(secretKey: string, apiBase?: string, meterEventName = "agora_run_spend", appUrl?: string) {
  const stripe = createStripe(secretKey, apiBase);
  const key = (what: string) => ({ idempotencyKey: `agora-setup-${what}-${new Date().toISOString().slice(0, 10)}` });
  const lines: string[] = [];
  for (const code of ["basic", "pro"] as const) {
    const tier = defaultTiers.find((t) => t.code === code)!;
    const product = await stripe.products.create({ name: `Agora ${tier.name}`, metadata: { tier: code } }, key(`product-${code}`));
    const price = await stripe.prices.create(
      { product: product.id, currency: "usd", unit_amount: Number(tier.monthlyPriceMicros! / 10_000n), recurring: { interval: "month" }, lookup_key: `agora_${code}_monthly`, metadata: { tier: code } },
      key(`price-${code}`),
    );
    lines.push(`STRIPE_PRICE_${code.toUpperCase()}=${price.id}`);
  }
  const meter = await stripe.billing.meters.create(
    { display_name: "Agora run spend (micro-USD)", event_name: meterEventName, default_aggregation: { formula: "sum" }, customer_mapping: { type: "by_id", event_payload_key: "stripe_customer_id" }, value_settings: { event_payload_key: "value" } },
    key("meter"),
  );
  const usageProduct = await stripe.products.create({ name: "Agora metered runs", metadata: { meter: meter.id } }, key("usage-product"));
  // One meter unit is one micro-USD: 0.0001 cents.
  const usagePrice = await stripe.prices.create(
    { product: usageProduct.id, currency: "usd", unit_amount_decimal: Stripe.Decimal.from("0.0001"), recurring: { interval: "month", usage_type: "metered", meter: meter.id }, lookup_key: "agora_metered_usage" },
    key("usage-price"),
  );
  lines.push(`STRIPE_METER_EVENT_NAME=${meterEventName}`, `# metered usage price (add it to Pro/Enterprise subscriptions that pay as they go): ${usagePrice.id}`);
  if (appUrl) {
    // Provider payouts (issue 19): connected accounts' events come to their own endpoint, signed with its own secret.
    const endpoint = await stripe.webhookEndpoints.create({ url: `${appUrl}/api/stripe/connect-webhook`, enabled_events: ["account.updated", "payout.failed"], connect: true }, key("connect-endpoint"));
    lines.push(`STRIPE_CONNECT_WEBHOOK_SECRET=${endpoint.secret}`, "# and enable transfer.created and transfer.reversed on the platform endpoint (/api/stripe/webhook)");
  }
  return lines;
}

if (process.argv[1]?.endsWith("stripe-setup.ts")) {
  const secret = process.env.STRIPE_SECRET_KEY;
  if (!secret) {
    console.error("Set STRIPE_SECRET_KEY (a test-mode key: sk_test_…) first.");
    process.exit(2);
  }
  const lines = await stripeSetup(secret, process.env.STRIPE_API_BASE, process.env.STRIPE_METER_EVENT_NAME, process.env.AGORA_APP_URL ?? process.env.NEXTAUTH_URL);
  console.log(["# Add to your environment:", ...lines].join("\n"));
}
