import http from "node:http";
import type { AddressInfo } from "node:net";
import { randomBytes } from "node:crypto";
import Stripe from "stripe";

// A local stand-in for the parts of Stripe's API Agora calls, speaking its
// wire protocol (form-encoded requests with bracketed keys, JSON objects and
// lists, Stripe's error shape, Idempotency-Key replays), so the real `stripe`
// SDK is exercised through its host/port/protocol options. It also plays the
// hosted pages (Checkout "Pay", the billing portal) and delivers signed
// webhooks, signed with the SDK's own generateTestHeaderString. `failNext`
// makes the next requests answer 429 or 500.

type Obj = Record<string, unknown> & { id: string };
export type FakeStripe = {
  url: string;
  webhookSecret: string;
  /** Where hosted Checkout delivers its events (set by the test or the e2e server). */
  webhookUrl: string | null;
  /** Hosted Checkout sends its events this long after redirecting back (as Stripe may), so the app must notice them later. */
  deliveryDelayMs: number;
  objects: Map<string, Obj>;
  meterEvents: { identifier: string; event_name: string; payload: Record<string, string>; at: number }[];
  requests: { method: string; path: string; body: Record<string, unknown>; idempotencyKey?: string }[];
  failNext(count: number, status: 429 | 500, pathPrefix?: string): void;
  /** A signed-and-delivered event: returns the app's HTTP status. */
  deliver(event: Stripe.Event, opts?: { secret?: string; timestamp?: number; body?: string }): Promise<number>;
  event(type: string, object: Obj, created?: number, account?: string): Stripe.Event;
  /** Connect (issue 19): the platform's balance transfers draw on, in cents, and the events Connect calls produced (not delivered). */
  platformBalanceCents: number;
  connectEvents: Stripe.Event[];
  /** The Connect endpoint's secret (what POST /v1/webhook_endpoints with connect=true answers) and, when set, where its events go. */
  connectWebhookSecret: string;
  connectWebhookUrl: string | null;
  /** What finishing Express onboarding through a link does (the hosted page's button): where it redirects. */
  completeOnboarding(linkUrl: string): Promise<string>;
  /** Changes an account as Stripe would (verification, a capability): the object only, no event. */
  setAccount(id: string, patch: Record<string, unknown>): Obj;
  /** A reversal made in the Stripe dashboard: returns the transfer.reversed event (not delivered). */
  reverseTransfer(transferId: string, amountCents?: number, reason?: string): Stripe.Event;
  /** What paying a Checkout session does: the objects it creates and the events Stripe would send (not delivered). */
  completeCheckout(sessionId: string): Stripe.Event[];
  setSubscription(id: string, patch: Record<string, unknown>): Obj;
  close(): Promise<void>;
};

/** `a[b][0][c]=1` → { a: { b: [{ c: "1" }] } } — the SDK's form encoding, decoded. */
function decodeForm(body: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [rawKey, value] of new URLSearchParams(body)) {
    const parts = rawKey.replace(/\]/g, "").split("[");
    let node: Record<string, unknown> = out;
    parts.forEach((part, i) => {
      if (i === parts.length - 1) node[part] = value;
      else node = (node[part] ??= /^\d+$/.test(parts[i + 1]!) ? [] : {}) as Record<string, unknown>;
    });
  }
  return out;
}

const id = (prefix: string) => `${prefix}_${randomBytes(10).toString("hex")}`;
const now = () => Math.floor(Date.now() / 1000);
const list = (data: Obj[], url: string) => ({ object: "list", data, has_more: false, url });

export async function startFakeStripe(): Promise<FakeStripe> {
  const objects = new Map<string, Obj>();
  const idempotent = new Map<string, { status: number; body: unknown }>();
  const failures: { status: 429 | 500; prefix?: string }[] = [];
  const webhookSecret = `whsec_${randomBytes(16).toString("hex")}`;
  const signer = new Stripe("sk_test_fake_signer");
  let base = "";

  const put = <T extends Obj>(o: T) => (objects.set(o.id, o), o);
  const get = (key: string) => objects.get(key);

  function event(type: string, object: Obj, created = now(), account?: string): Stripe.Event {
    // A copy: an event shows the object as it was when it happened.
    return { id: id("evt"), object: "event", type, created, api_version: "2026-10-28.endive", livemode: false, pending_webhooks: 1, request: { id: null, idempotency_key: null }, data: { object: structuredClone(object) }, ...(account ? { account } : {}) } as unknown as Stripe.Event;
  }

  // Connect: Express accounts, onboarding links, transfers to them and their reversals (brief i19/connect.md §2).
  // Their events are kept (connectEvents) and, where a URL is set, sent: a connected account's to the Connect endpoint.
  const connectWebhookSecret = `whsec_${randomBytes(16).toString("hex")}`;
  function emit(e: Stripe.Event) {
    fake.connectEvents.push(e);
    const url = e.account ? fake.connectWebhookUrl : fake.webhookUrl;
    if (url) void deliver(e, { url, secret: e.account ? connectWebhookSecret : webhookSecret }).catch(() => undefined);
  }
  const stripeErr = (status: number, message: string, code?: string) => ({ status, body: { error: { type: "invalid_request_error", message, ...(code ? { code } : {}) } } });
  function reversal(t: Obj, amount: number, metadata: Record<string, string>): { status: number; body: unknown } {
    if (amount <= 0 || amount > Number(t.amount) - Number(t.amount_reversed)) return stripeErr(400, "Amount exceeds the transfer's remaining amount.");
    const r = { id: id("trr"), object: "transfer_reversal", amount, created: now(), currency: t.currency, metadata, transfer: t.id };
    const reversals = t.reversals as { data: unknown[]; total_count: number };
    fake.platformBalanceCents += amount;
    t.amount_reversed = Number(t.amount_reversed) + amount;
    t.reversed = t.amount_reversed === t.amount;
    reversals.data.unshift(r);
    reversals.total_count++;
    emit(event("transfer.reversed", t));
    return { status: 200, body: r };
  }
  function connectRoute(method: string, path: string, body: Record<string, unknown>, query: URLSearchParams): { status: number; body: unknown } | undefined {
    const meta = (body.metadata ?? {}) as Record<string, string>;
    let m: RegExpMatchArray | null;
    if (method === "POST" && path === "/v1/accounts") {
      const requested = Object.entries((body.capabilities ?? {}) as Record<string, { requested?: string }>).filter(([, v]) => v.requested === "true");
      return { status: 200, body: put({ id: id("acct"), object: "account", type: body.type ?? "express", country: body.country ?? "US", email: body.email ?? null, default_currency: "usd", created: now(), metadata: meta,
        charges_enabled: false, payouts_enabled: false, details_submitted: false, capabilities: Object.fromEntries(requested.map(([k]) => [k, "inactive"])),
        requirements: { alternatives: [], current_deadline: null, currently_due: ["business_type", "external_account", "tos_acceptance.date", "tos_acceptance.ip"], disabled_reason: "requirements.past_due", errors: [], eventually_due: [], past_due: [], pending_verification: [] } }) };
    }
    if (method === "GET" && (m = path.match(/^\/v1\/accounts\/([^/]+)$/))) return found(get(m[1]!));
    if (method === "POST" && (m = path.match(/^\/v1\/accounts\/([^/]+)\/login_links$/))) return get(m[1]!) ? { status: 200, body: { object: "login_link", created: now(), url: `${base}/express/${m[1]}` } } : found(undefined);
    if (method === "POST" && path === "/v1/account_links") {
      if (!get(String(body.account))) return stripeErr(400, `No such account: '${String(body.account)}'`, "resource_missing");
      const link = put({ id: id("acctlink"), object: "fake.account_link", account: body.account, refresh_url: body.refresh_url, return_url: body.return_url, expires_at: now() + 300, used: false });
      return { status: 200, body: { object: "account_link", created: now(), expires_at: link.expires_at, url: `${base}/connect/onboarding/${link.id}` } };
    }
    if (method === "POST" && path === "/v1/webhook_endpoints") {
      return { status: 200, body: put({ id: id("we"), object: "webhook_endpoint", url: body.url, enabled_events: body.enabled_events, application: null, status: "enabled", secret: body.connect === "true" ? connectWebhookSecret : webhookSecret }) };
    }
    if (method === "POST" && path === "/v1/transfers") {
      const dest = get(String(body.destination));
      const amount = Number(body.amount);
      if (!dest || dest.object !== "account") return stripeErr(400, `No such destination: '${String(body.destination)}'`, "resource_missing");
      if ((dest.capabilities as Record<string, string>).transfers !== "active") return stripeErr(400, "Your destination account needs to have at least one of the following capabilities enabled: transfers, crypto_transfers, legacy_payments");
      if (amount > fake.platformBalanceCents) return stripeErr(400, "You have insufficient available funds in your Stripe account.", "balance_insufficient");
      fake.platformBalanceCents -= amount;
      const t = put({ id: id("tr"), object: "transfer", amount, amount_reversed: 0, created: now(), currency: body.currency, destination: dest.id, metadata: meta, reversed: false, transfer_group: body.transfer_group ?? null,
        reversals: { object: "list", data: [], has_more: false, total_count: 0, url: "" } });
      emit(event("transfer.created", t));
      return { status: 200, body: t };
    }
    if (method === "GET" && path === "/v1/transfers") {
      const data = [...objects.values()].filter((o) => o.object === "transfer" && (!query.get("transfer_group") || o.transfer_group === query.get("transfer_group")) && (!query.get("destination") || o.destination === query.get("destination"))).reverse();
      return { status: 200, body: list(data.slice(0, Number(query.get("limit") ?? 10)), "/v1/transfers") };
    }
    if (method === "GET" && (m = path.match(/^\/v1\/transfers\/([^/]+)$/))) return found(get(m[1]!));
    if (method === "POST" && (m = path.match(/^\/v1\/transfers\/([^/]+)\/reversals$/))) {
      const t = get(m[1]!);
      return t ? reversal(t, body.amount ? Number(body.amount) : Number(t.amount) - Number(t.amount_reversed), meta) : found(undefined);
    }
    return undefined;
  }

  function subscription(customer: string, price: string, workspaceId: string | undefined, status = "active"): Obj {
    const start = now();
    return put({
      id: id("sub"),
      object: "subscription",
      customer,
      status,
      metadata: workspaceId ? { workspaceId } : {},
      items: { object: "list", data: [{ id: id("si"), object: "subscription_item", price: { id: price, object: "price" }, current_period_start: start, current_period_end: start + 30 * 86_400 }] },
      created: start,
    });
  }

  function invoice(customer: string, sub: Obj, price: string, amount: number, status = "paid"): Obj {
    const number = `FAKE-${String(objects.size).padStart(4, "0")}`;
    const inv = put({
      id: id("in"),
      object: "invoice",
      customer,
      number,
      status,
      amount_due: amount,
      amount_paid: status === "paid" ? amount : 0,
      currency: "usd",
      created: now(),
      period_start: now(),
      period_end: now() + 30 * 86_400,
      parent: { type: "subscription_details", subscription_details: { subscription: sub.id, metadata: sub.metadata } },
      lines: { object: "list", data: [{ id: id("il"), object: "line_item", amount, pricing: { price_details: { price } } }] },
      hosted_invoice_url: `${base}/invoices/${number}`,
      invoice_pdf: `${base}/invoices/${number}.pdf`,
    });
    return inv;
  }

  function completeCheckout(sessionId: string): Stripe.Event[] {
    const session = get(sessionId);
    if (!session) throw new Error(`no checkout session ${sessionId}`);
    const customer = String(session.customer);
    const metadata = (session.metadata ?? {}) as Record<string, string>;
    if (session.mode === "payment") {
      const pm = put({ id: id("pm"), object: "payment_method", type: "card", customer });
      const pi = put({ id: id("pi"), object: "payment_intent", amount: session.amount_total, currency: "usd", customer, status: "succeeded", payment_method: pm.id, metadata });
      put({ ...session, id: sessionId, status: "complete", payment_status: "paid", payment_intent: pi.id });
      return [event("checkout.session.completed", get(sessionId)!)];
    }
    const price = String(session.price);
    const sub = subscription(customer, price, metadata.workspaceId);
    put({ ...session, id: sessionId, status: "complete", payment_status: "paid", subscription: sub.id });
    const inv = invoice(customer, sub, price, Number(session.amount_total ?? 0));
    return [event("checkout.session.completed", get(sessionId)!), event("customer.subscription.created", sub), event("invoice.paid", inv)];
  }

  async function deliver(e: Stripe.Event, opts: { secret?: string; timestamp?: number; body?: string; url?: string } = {}): Promise<number> {
    const url = opts.url ?? fake.webhookUrl;
    if (!url) throw new Error("no webhookUrl to deliver to");
    const payload = opts.body ?? JSON.stringify(e);
    const header = signer.webhooks.generateTestHeaderString({ payload: JSON.stringify(e), secret: opts.secret ?? webhookSecret, timestamp: opts.timestamp });
    const res = await fetch(url, { method: "POST", headers: { "content-type": "application/json", "stripe-signature": header }, body: payload });
    await res.text();
    return res.status;
  }

  function stripeError(res: http.ServerResponse, status: number, type: string, message: string, extra: Record<string, unknown> = {}) {
    res.writeHead(status, { "content-type": "application/json", ...(status === 429 ? { "retry-after": "1" } : {}) });
    res.end(JSON.stringify({ error: { type, message, ...extra } }));
  }

  function route(method: string, path: string, body: Record<string, unknown>, query: URLSearchParams): { status: number; body: unknown } {
    const connect = connectRoute(method, path, body, query);
    if (connect) return connect;
    const meta = (body.metadata ?? {}) as Record<string, string>;
    let m: RegExpMatchArray | null;
    if (method === "POST" && path === "/v1/customers") return { status: 200, body: put({ id: id("cus"), object: "customer", name: body.name ?? null, email: body.email ?? null, metadata: meta, invoice_settings: { default_payment_method: null } }) };
    if (method === "GET" && (m = path.match(/^\/v1\/customers\/([^/]+)$/))) return found(get(m[1]!));
    if (method === "POST" && path === "/v1/checkout/sessions") {
      type Item = { price?: string; price_data?: { unit_amount: string }; quantity?: string };
      const first: Item = ((body.line_items ?? []) as Item[])[0] ?? {};
      const priceObj = first.price ? get(first.price) : undefined;
      const amount = first.price_data ? Number(first.price_data.unit_amount) : Number(priceObj?.unit_amount ?? 0);
      const s = put({
        id: id("cs"),
        object: "checkout.session",
        mode: body.mode,
        customer: body.customer,
        status: "open",
        payment_status: "unpaid",
        amount_total: amount * Number(first.quantity ?? 1),
        currency: "usd",
        metadata: meta,
        price: first.price ?? null,
        payment_intent: null,
        subscription: null,
        success_url: body.success_url,
        cancel_url: body.cancel_url,
        url: "",
      });
      s.url = `${base}/checkout/${s.id}`;
      return { status: 200, body: s };
    }
    if (method === "GET" && (m = path.match(/^\/v1\/checkout\/sessions\/([^/]+)$/))) return found(get(m[1]!));
    if (method === "POST" && path === "/v1/billing_portal/sessions") {
      const s = put({ id: id("bps"), object: "billing_portal.session", customer: body.customer, return_url: body.return_url, url: "" });
      s.url = `${base}/portal/${s.id}`;
      return { status: 200, body: s };
    }
    if (method === "GET" && (m = path.match(/^\/v1\/subscriptions\/([^/]+)$/))) return found(get(m[1]!));
    if (method === "GET" && (m = path.match(/^\/v1\/payment_intents\/([^/]+)$/))) return found(get(m[1]!));
    if (method === "GET" && path === "/v1/invoices") {
      const customer = query.get("customer");
      const data = [...objects.values()].filter((o) => o.object === "invoice" && o.customer === customer).reverse();
      return { status: 200, body: list(data.slice(0, Number(query.get("limit") ?? 10)), "/v1/invoices") };
    }
    if (method === "POST" && path === "/v1/payment_intents") {
      const pm = get(String(body.payment_method));
      if (!pm || pm.customer !== body.customer) return { status: 402, body: { error: { type: "card_error", code: "card_declined", decline_code: "generic_decline", message: "Your card was declined." } } };
      return { status: 200, body: put({ id: id("pi"), object: "payment_intent", amount: Number(body.amount), currency: body.currency, customer: body.customer, payment_method: pm.id, status: "succeeded", metadata: meta }) };
    }
    if (method === "POST" && path === "/v1/billing/meter_events") {
      const identifier = String(body.identifier ?? id("mev"));
      fake.meterEvents.push({ identifier, event_name: String(body.event_name), payload: body.payload as Record<string, string>, at: Date.now() });
      return { status: 200, body: { object: "billing.meter_event", event_name: body.event_name, identifier, payload: body.payload, timestamp: Number(body.timestamp ?? now()), created: now(), livemode: false } };
    }
    if (method === "POST" && path === "/v1/products") return { status: 200, body: put({ id: id("prod"), object: "product", name: body.name, metadata: meta }) };
    if (method === "POST" && path === "/v1/prices") {
      return { status: 200, body: put({ id: id("price"), object: "price", product: body.product, unit_amount: body.unit_amount ? Number(body.unit_amount) : null, unit_amount_decimal: body.unit_amount_decimal ?? null, recurring: body.recurring ?? null, lookup_key: body.lookup_key ?? null, metadata: meta }) };
    }
    if (method === "POST" && path === "/v1/billing/meters") return { status: 200, body: put({ id: id("mtr"), object: "billing.meter", display_name: body.display_name, event_name: body.event_name, default_aggregation: body.default_aggregation, status: "active" }) };
    return { status: 404, body: { error: { type: "invalid_request_error", message: `Unrecognized request URL (${method}: ${path}).` } } };
  }

  const found = (o: Obj | undefined) => (o ? { status: 200, body: o } : { status: 404, body: { error: { type: "invalid_request_error", code: "resource_missing", message: "No such object." } } });

  function page(res: http.ServerResponse, html: string) {
    res.writeHead(200, { "content-type": "text/html; charset=utf-8" });
    res.end(`<!doctype html><html><head><title>Fake Stripe</title></head><body>${html}</body></html>`);
  }

  const fake: FakeStripe = {
    url: "",
    webhookSecret,
    webhookUrl: null,
    deliveryDelayMs: 0,
    objects,
    meterEvents: [],
    requests: [],
    failNext(count, status, pathPrefix) {
      for (let i = 0; i < count; i++) failures.push({ status, prefix: pathPrefix });
    },
    deliver,
    event,
    platformBalanceCents: 1_000_000,
    connectEvents: [],
    connectWebhookSecret,
    connectWebhookUrl: null,
    async completeOnboarding(linkUrl) {
      const res = await fetch(`${linkUrl}/complete`, { method: "POST", redirect: "manual" });
      await res.text();
      return res.headers.get("location") ?? "";
    },
    setAccount(accountId, patch) {
      const a = get(accountId);
      if (!a) throw new Error(`no account ${accountId}`);
      return Object.assign(a, patch);
    },
    reverseTransfer(transferId, amountCents, reason) {
      const t = get(transferId);
      if (!t) throw new Error(`no transfer ${transferId}`);
      const r = reversal(t, amountCents ?? Number(t.amount) - Number(t.amount_reversed), reason ? { reason } : {});
      if (r.status !== 200) throw new Error(JSON.stringify(r.body));
      return fake.connectEvents.at(-1)!;
    },
    completeCheckout,
    setSubscription(subId, patch) {
      const sub = get(subId);
      if (!sub) throw new Error(`no subscription ${subId}`);
      return put({ ...sub, ...patch, id: subId });
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections(); // a keep-alive or in-flight request must not hold the file's afterAll until its timeout
      }),
  };

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      void (async () => {
        const url = new URL(req.url ?? "/", base);
        const raw = Buffer.concat(chunks).toString("utf8");
        // The hosted pages a browser visits.
        let m: RegExpMatchArray | null;
        if (req.method === "GET" && (m = url.pathname.match(/^\/checkout\/([^/]+)$/))) {
          const s = get(m[1]!);
          return page(res, `<h1>Fake Checkout</h1><p>Pay ${((Number(s?.amount_total) || 0) / 100).toFixed(2)} USD</p><form method="post" action="/checkout/${m[1]}/pay"><button>Pay</button></form>`);
        }
        if (req.method === "POST" && (m = url.pathname.match(/^\/checkout\/([^/]+)\/pay$/))) {
          const events = completeCheckout(m[1]!);
          const send = async () => {
            for (const e of events) await deliver(e);
          };
          if (fake.deliveryDelayMs > 0) setTimeout(() => void send().catch(() => undefined), fake.deliveryDelayMs);
          else await send();
          res.writeHead(303, { location: String(get(m[1]!)!.success_url).replace("{CHECKOUT_SESSION_ID}", m[1]!) });
          return res.end();
        }
        if (req.method === "GET" && (m = url.pathname.match(/^\/portal\/([^/]+)$/))) return page(res, `<h1>Fake billing portal</h1><p>${m[1]}</p>`);
        if (req.method === "GET" && (m = url.pathname.match(/^\/connect\/onboarding\/([^/]+)$/))) return page(res, `<h1>Fake Express onboarding</h1><form method="post" action="/connect/onboarding/${m[1]}/complete"><button>Finish onboarding</button></form>`);
        if (req.method === "POST" && (m = url.pathname.match(/^\/connect\/onboarding\/([^/]+)\/complete$/))) {
          // A used or expired link sends the person to refresh_url; otherwise the account becomes payable.
          const link = get(m[1]!);
          if (!link || link.used || Number(link.expires_at) < now()) {
            res.writeHead(303, { location: String(link?.refresh_url ?? "/") });
            return res.end();
          }
          link.used = true;
          const a = get(String(link.account))!;
          Object.assign(a, { details_submitted: true, payouts_enabled: true, capabilities: { ...(a.capabilities as object), transfers: "active" }, requirements: { ...(a.requirements as object), currently_due: [], disabled_reason: null } });
          emit(event("account.updated", a, now(), a.id));
          res.writeHead(303, { location: String(link.return_url) });
          return res.end();
        }
        // The API.
        const body = raw ? decodeForm(raw) : {};
        const key = req.headers["idempotency-key"] as string | undefined;
        fake.requests.push({ method: req.method ?? "GET", path: url.pathname, body, idempotencyKey: key });
        const failure = failures.findIndex((f) => !f.prefix || url.pathname.startsWith(f.prefix));
        if (failure >= 0) {
          const f = failures.splice(failure, 1)[0]!;
          return f.status === 429 ? stripeError(res, 429, "invalid_request_error", "Too many requests.", { code: "rate_limit" }) : stripeError(res, 500, "api_error", "Something went wrong on Stripe's end.");
        }
        const replayKey = key && `${req.method} ${url.pathname} ${key}`;
        const result = (replayKey && idempotent.get(replayKey)) || route(req.method ?? "GET", url.pathname, body, url.searchParams);
        if (replayKey && result.status < 500) idempotent.set(replayKey, result);
        res.writeHead(result.status, { "content-type": "application/json", "request-id": id("req") });
        res.end(JSON.stringify(result.body));
      })().catch((err: Error) => {
        res.writeHead(500, { "content-type": "application/json" });
        res.end(JSON.stringify({ error: { type: "api_error", message: err.message } }));
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  fake.url = base;
  return fake;
}
