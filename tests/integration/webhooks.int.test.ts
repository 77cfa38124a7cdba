import http from "node:http";
import type { AddressInfo } from "node:net";
import { Webhook } from "standardwebhooks";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as resendRoute from "@/app/api/v1/webhooks/[id]/deliveries/[deliveryId]/resend/route";
import * as deliveriesRoute from "@/app/api/v1/webhooks/[id]/deliveries/route";
import * as rotateRoute from "@/app/api/v1/webhooks/[id]/rotate-secret/route";
import * as webhookRoute from "@/app/api/v1/webhooks/[id]/route";
import * as testRoute from "@/app/api/v1/webhooks/[id]/test/route";
import * as webhooksRoute from "@/app/api/v1/webhooks/route";
import { createApiKey } from "@/lib/api-keys/api-keys";
import { getDb } from "@/lib/db/client";
import { listEvents } from "@/lib/events/feed";
import { EVENT_TYPES } from "@/lib/events/types";
import { ApiError } from "@/lib/http/errors";
import type { OutboundPolicy } from "@/lib/http/outbound";
import { acceptRun } from "@/lib/runs/accept-run";
import { runExecutor, startRunWorker } from "@/lib/runs/run-executor-instance";
import { deliverWebhooks, dispatchWebhooks, DISABLE_AFTER_MS, RETRY_SCHEDULE_MS } from "@/lib/webhooks/deliver";
import { checkWebhookUrl, createWebhook } from "@/lib/webhooks/endpoints";
import type { DeliveryJson, WebhookJson, WebhookPayload } from "@/lib/webhooks/schemas";
import { callRoute, sessionCookie } from "../helpers/call-route";
import { createUser, setWallet } from "../helpers/factories";
import { scannerInput, workspaceSettled } from "../helpers/run-harness";

// Outgoing webhooks (issue 22, item 3). The receiver is a local HTTP server; deliveries are verified
// with the standardwebhooks library as a receiver would. The retry schedule is driven by passing
// `now` (a year ahead, so nothing here is ever due by the wall clock), never by sleeping.

const db = getDb();
const servers: http.Server[] = [];

type Received = { headers: Record<string, string>; body: string };

/** A receiver on 127.0.0.1:<port from the OS>; answers `statuses` in turn, then 200. */
async function receiver(statuses: number[] = []) {
  const got: Received[] = [];
  const server = http.createServer((req, res) => {
    let body = "";
    req.on("data", (c: Buffer) => (body += c.toString("utf8")));
    req.on("end", () => {
      got.push({ headers: req.headers as Record<string, string>, body });
      res.statusCode = statuses.shift() ?? 200;
      res.end("ok");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  servers.push(server);
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`, got };
}

afterAll(async () => {
  for (const s of servers) {
    s.closeAllConnections();
    await new Promise((r) => s.close(r));
  }
});

async function owner(label: string) {
  const u = await createUser(label, { tier: "enterprise" });
  return { ...u, headers: { cookie: await sessionCookie(u.user.id, u.workspace.id) } };
}
type Owner = Awaited<ReturnType<typeof owner>>;

async function addEndpoint(o: Owner, url: string, eventTypes: string[] = []) {
  const res = await callRoute(webhooksRoute.POST, { method: "POST", headers: o.headers, body: JSON.stringify({ url, eventTypes, description: "test" }) });
  expect(res.status).toBe(201);
  return res.body as unknown as { webhook: WebhookJson; secret: string };
}

const emit = (workspaceId: string, type = "balance.changed") => db.$executeRaw`SELECT agora_emit_event(${workspaceId}, ${type}, '{"probe": true}'::jsonb)`;
const later = (base: Date, ms: number) => new Date(base.getTime() + ms);
const yearAhead = () => later(new Date(), 365 * 86_400_000);

async function deliveries(o: Owner, id: string): Promise<DeliveryJson[]> {
  const res = await callRoute(deliveriesRoute.GET, { headers: o.headers, params: { id } });
  expect(res.status).toBe(200);
  return (res.body as unknown as { data: DeliveryJson[] }).data;
}

describe("a run's webhook", () => {
  beforeAll(async () => {
    await startRunWorker("all");
  });

  it("a run succeeds → exactly one signed delivery that standardwebhooks verifies, with a receipt that reconciles with the ledger", async () => {
    const o = await owner("wh-run");
    await setWallet(o.workspace.id, 5_000_000n);
    const r = await receiver();
    const { webhook, secret } = await addEndpoint(o, r.url, ["run.succeeded"]);
    expect(secret).toMatch(/^whsec_/);
    // The secret is never answered again.
    const listed = await callRoute(webhooksRoute.GET, { headers: o.headers });
    expect(JSON.stringify(listed.body)).not.toContain(secret.slice(6));
    expect((listed.body as unknown as { data: WebhookJson[] }).data.map((w) => w.id)).toEqual([webhook.id]);

    const { run } = await acceptRun(o.principal, { agent: "security-scanner", input: scannerInput }, { executor: runExecutor() });
    await workspaceSettled(o.workspace.id);
    const at = yearAhead();
    expect(await dispatchWebhooks(db, { workspaceId: o.workspace.id, now: at })).toBe(1);
    expect(await deliverWebhooks(db, { endpointId: webhook.id, now: at })).toBe(1);
    // Nothing new: no second delivery.
    expect(await dispatchWebhooks(db, { workspaceId: o.workspace.id, now: at })).toBe(0);
    expect(await deliverWebhooks(db, { endpointId: webhook.id, now: later(at, 86_400_000) })).toBe(0);
    expect(r.got).toHaveLength(1);

    const payload = new Webhook(secret).verify(r.got[0]!.body, r.got[0]!.headers) as WebhookPayload;
    expect(payload.type).toBe("run.succeeded");
    expect(payload.data.data).toMatchObject({ runId: run.id, status: "SUCCEEDED" });
    const receipt = payload.data.receipt!;
    const settled = await db.run.findUniqueOrThrow({ where: { id: run.id } });
    const hold = await db.transfer.findFirstOrThrow({ where: { runId: run.id, kind: "PENDING", workspaceId: o.workspace.id } });
    const resolution = await db.transfer.findUniqueOrThrow({ where: { pendingId: hold.id } });
    expect(resolution.kind).toBe("POST_PENDING");
    expect(receipt.holdMicros).toBe(Number(hold.amountMicros));
    expect(receipt.chargedMicros).toBe(Number(resolution.amountMicros));
    expect(receipt.chargedMicros).toBe(Number(settled.priceMicros));
    expect(receipt.priceMicros).toBe(Number(settled.priceMicros));
    expect(receipt.breakdown!.totalMicros).toBe(receipt.chargedMicros);
    expect(receipt.releasedMicros).toBe(receipt.holdMicros - receipt.chargedMicros);
    expect(receipt.tokens).toEqual({ input: settled.inputTokens, output: settled.outputTokens, cacheWrite: settled.cacheWriteTokens, cacheRead: settled.cacheReadTokens });
    expect(receipt.transfers.map((t) => t.id)).toEqual(expect.arrayContaining([hold.id, resolution.id]));
    expect(receipt.transfers.find((t) => t.id === resolution.id)).toMatchObject({ resolves: hold.id, amountMicros: receipt.chargedMicros });

    const [logged] = await deliveries(o, webhook.id);
    expect(logged).toMatchObject({ eventType: "run.succeeded", state: "SUCCEEDED", attempts: 1, lastStatusCode: 200, messageId: r.got[0]!.headers["webhook-id"], nextAttemptAt: null });
    expect(logged!.lastResponseMs).toEqual(expect.any(Number));
  });
});

describe("retries", () => {
  it("the receiver answers 500 twice → delivered on the third attempt, on the schedule, with the same webhook id", async () => {
    const o = await owner("wh-retry");
    const r = await receiver([500, 500]);
    const { webhook, secret } = await addEndpoint(o, r.url, ["balance.changed"]);
    await emit(o.workspace.id);
    const t0 = yearAhead();
    await dispatchWebhooks(db, { workspaceId: o.workspace.id, now: t0 });
    expect(await deliverWebhooks(db, { endpointId: webhook.id, now: t0 })).toBe(0);
    expect(await deliverWebhooks(db, { endpointId: webhook.id, now: later(t0, RETRY_SCHEDULE_MS[0]! - 1) })).toBe(0); // not yet due
    expect(r.got).toHaveLength(1);
    const t1 = later(t0, RETRY_SCHEDULE_MS[0]!);
    expect(await deliverWebhooks(db, { endpointId: webhook.id, now: t1 })).toBe(0);
    expect(r.got).toHaveLength(2);
    let [d] = await deliveries(o, webhook.id);
    expect(d).toMatchObject({ state: "PENDING", attempts: 2, lastStatusCode: 500, nextAttemptAt: later(t1, RETRY_SCHEDULE_MS[1]!).toISOString() });
    expect(await deliverWebhooks(db, { endpointId: webhook.id, now: later(t1, RETRY_SCHEDULE_MS[1]!) })).toBe(1);
    expect(r.got).toHaveLength(3);
    const ids = new Set(r.got.map((g) => g.headers["webhook-id"]));
    expect(ids.size).toBe(1);
    for (const g of r.got) expect(new Webhook(secret).verify(g.body, g.headers)).toMatchObject({ type: "balance.changed" });
    [d] = await deliveries(o, webhook.id);
    expect(d).toMatchObject({ state: "SUCCEEDED", attempts: 3, lastStatusCode: 200, messageId: [...ids][0] });
    // The endpoint's failure streak ended with the success.
    expect((await db.webhookEndpoint.findUniqueOrThrow({ where: { id: webhook.id } })).failingSince).toBeNull();
  });

  it("an endpoint failing for 5 days is disabled and a webhook.disabled event is written", async () => {
    const o = await owner("wh-disable");
    const r = await receiver(Array<number>(10).fill(503));
    const { webhook } = await addEndpoint(o, r.url, ["balance.changed"]);
    const t0 = yearAhead();
    await emit(o.workspace.id);
    await dispatchWebhooks(db, { workspaceId: o.workspace.id, now: t0 });
    await deliverWebhooks(db, { endpointId: webhook.id, now: t0 });
    const afterFirst = (await listEvents(o.workspace.id, { after: 0, limit: 1000, types: [] })).nextAfter;
    expect((await db.webhookEndpoint.findUniqueOrThrow({ where: { id: webhook.id } })).failingSince).toEqual(t0);
    // Still failing just short of 5 days: still enabled.
    await deliverWebhooks(db, { endpointId: webhook.id, now: later(t0, RETRY_SCHEDULE_MS[0]!) });
    expect((await db.webhookEndpoint.findUniqueOrThrow({ where: { id: webhook.id } })).enabled).toBe(true);
    await emit(o.workspace.id);
    const t5 = later(t0, DISABLE_AFTER_MS);
    await dispatchWebhooks(db, { workspaceId: o.workspace.id, now: t5 });
    await deliverWebhooks(db, { endpointId: webhook.id, now: t5 });
    const endpoint = await db.webhookEndpoint.findUniqueOrThrow({ where: { id: webhook.id } });
    expect(endpoint.enabled).toBe(false);
    expect(endpoint.disabledReason).toMatch(/failed since/);
    const disabled = (await listEvents(o.workspace.id, { after: afterFirst, limit: 100, types: ["webhook.disabled"] })).data;
    expect(disabled).toHaveLength(1);
    expect(disabled[0]!.data).toMatchObject({ endpointId: webhook.id, url: r.url });
    expect(EVENT_TYPES).toContain("webhook.disabled");
    // A disabled endpoint is sent nothing more, and the API says why.
    const sent = r.got.length;
    await deliverWebhooks(db, { endpointId: webhook.id, now: later(t5, 86_400_000) });
    expect(r.got).toHaveLength(sent);
    const shown = await callRoute(webhookRoute.GET, { headers: o.headers, params: { id: webhook.id } });
    expect(shown.body).toMatchObject({ enabled: false, disabledReason: expect.stringMatching(/failed since/) });
    expect((await callRoute(testRoute.POST, { method: "POST", headers: o.headers, params: { id: webhook.id } })).status).toBe(409);
    // Enabling it again clears the streak.
    const enabled = await callRoute(webhookRoute.PATCH, { method: "PATCH", headers: o.headers, params: { id: webhook.id }, body: JSON.stringify({ enabled: true }) });
    expect(enabled.body).toMatchObject({ enabled: true, disabledReason: null, failingSince: null });
  });
});

describe("secret rotation", () => {
  it("during a rotation both secrets sign and verify; after 24 h only the new one does", async () => {
    const o = await owner("wh-rotate");
    const r = await receiver();
    const { webhook, secret: oldSecret } = await addEndpoint(o, r.url, ["balance.*"]);
    const rotated = await callRoute(rotateRoute.POST, { method: "POST", headers: o.headers, params: { id: webhook.id } });
    expect(rotated.status).toBe(200);
    const { secret: newSecret, webhook: after } = rotated.body as unknown as { secret: string; webhook: WebhookJson };
    expect(newSecret).not.toBe(oldSecret);
    expect(after.previousSecretExpiresAt).not.toBeNull();
    await emit(o.workspace.id);
    const t0 = new Date();
    await dispatchWebhooks(db, { workspaceId: o.workspace.id, now: t0 });
    await deliverWebhooks(db, { endpointId: webhook.id, now: t0 });
    expect(r.got).toHaveLength(1);
    expect(r.got[0]!.headers["webhook-signature"]!.split(" ")).toHaveLength(2);
    for (const s of [oldSecret, newSecret]) expect(new Webhook(s).verify(r.got[0]!.body, r.got[0]!.headers)).toMatchObject({ type: "balance.changed" });

    await emit(o.workspace.id);
    const t1 = later(t0, 25 * 3_600_000);
    await dispatchWebhooks(db, { workspaceId: o.workspace.id, now: t1 });
    await deliverWebhooks(db, { endpointId: webhook.id, now: t1 });
    expect(r.got).toHaveLength(2);
    expect(r.got[1]!.headers["webhook-signature"]!.split(" ")).toHaveLength(1);
    expect(new Webhook(newSecret).verify(r.got[1]!.body, r.got[1]!.headers)).toMatchObject({ type: "balance.changed" });
    expect(() => new Webhook(oldSecret).verify(r.got[1]!.body, r.got[1]!.headers)).toThrow();
  });
});

describe("SSRF and bad input", () => {
  const policy = (over: Partial<OutboundPolicy> = {}): OutboundPolicy => ({ production: true, allowLoopback: false, resolve: async () => [{ address: "93.184.216.34", family: 4 }], ...over });
  const refusal = async (p: Promise<unknown>) => {
    const err = await p.then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(ApiError);
    const e = err as ApiError;
    expect(e.code).toBe("validation_failed");
    expect((e.details as { issues: { path: string }[] }).issues[0]!.path).toBe("url");
    return e.message;
  };

  it("in production mode 127.0.0.1, 10.x, 169.254.169.254, a name resolving privately and http are refused at save, naming the reason", async () => {
    for (const url of ["https://127.0.0.1/hook", "https://10.1.2.3/hook", "https://169.254.169.254/latest/meta-data"]) expect(await refusal(checkWebhookUrl(url, policy()))).toMatch(/not an IP address|refused/);
    for (const address of ["127.0.0.1", "10.0.0.7", "169.254.169.254"]) {
      expect(await refusal(checkWebhookUrl("https://hooks.example.com/x", policy({ resolve: async () => [{ address, family: 4 }] })))).toContain(address);
    }
    expect(await refusal(checkWebhookUrl("http://hooks.example.com/x", policy()))).toMatch(/https:\/\//);
    expect(await refusal(checkWebhookUrl("not a url", policy()))).toMatch(/not a URL/);
    expect(await checkWebhookUrl("https://hooks.example.com/x", policy())).toBe("https://hooks.example.com/x");
  });

  it("at send time: a name that now resolves to 169.254.169.254 is refused, nothing is sent, the log says why", async () => {
    const o = await owner("wh-ssrf-send");
    const { webhook } = await createWebhook(o.principal, { url: "https://hooks.example.com/agora", description: "", eventTypes: [] }, null, policy());
    await emit(o.workspace.id);
    const at = yearAhead();
    await dispatchWebhooks(db, { workspaceId: o.workspace.id, now: at });
    expect(await deliverWebhooks(db, { endpointId: webhook.id, now: at, policy: policy({ resolve: async () => [{ address: "169.254.169.254", family: 4 }] }) })).toBe(0);
    const [d] = await deliveries(o, webhook.id);
    expect(d).toMatchObject({ state: "PENDING", attempts: 1, lastStatusCode: null, lastError: expect.stringMatching(/^Refused: .*169\.254\.169\.254/) });
  });

  it("the API: a 400 naming the reason for a bad URL or an unknown event type; owners only; other workspaces' endpoints are 404", async () => {
    const o = await owner("wh-api");
    const post = (body: object) => callRoute(webhooksRoute.POST, { method: "POST", headers: o.headers, body: JSON.stringify(body) });
    for (const [url, why] of [
      ["ftp://hooks.example.com/x", /https:\/\//],
      ["no url at all", /not a URL/],
      ["https://10.0.0.1/x", /IP address/],
      ["https://user:pw@hooks.example.com/x", /user name or password/],
    ] as const) {
      const res = await post({ url });
      expect(res.status, url).toBe(400);
      expect(res.body!.error.message).toMatch(why);
      expect(res.body!.error.details.issues[0]!.path).toBe("url");
    }
    const unknown = await post({ url: "http://127.0.0.1:9/x", eventTypes: ["run.succeeded", "run.exploded"] });
    expect(unknown.status).toBe(400);
    expect(unknown.body!.error.message).toContain("run.exploded");
    expect(unknown.body!.error.message).toContain("run.*");
    expect(await db.webhookEndpoint.count({ where: { workspaceId: o.workspace.id } })).toBe(0);

    const key = await createApiKey(o.principal, { name: "wh" });
    expect((await callRoute(webhooksRoute.GET, { headers: { authorization: `Bearer ${key.secret}` } })).status).toBe(403);

    const r = await receiver();
    const { webhook } = await addEndpoint(o, r.url);
    const stranger = await owner("wh-stranger");
    for (const res of [
      await callRoute(webhookRoute.GET, { headers: stranger.headers, params: { id: webhook.id } }),
      await callRoute(webhookRoute.DELETE, { method: "DELETE", headers: stranger.headers, params: { id: webhook.id } }),
      await callRoute(deliveriesRoute.GET, { headers: stranger.headers, params: { id: webhook.id } }),
      await callRoute(testRoute.POST, { method: "POST", headers: stranger.headers, params: { id: webhook.id } }),
    ])
      expect(res.status).toBe(404);

    const badFilter = await callRoute(webhookRoute.PATCH, { method: "PATCH", headers: o.headers, params: { id: webhook.id }, body: JSON.stringify({ eventTypes: ["nope.*"] }) });
    expect(badFilter.status).toBe(400);
    const filtered = await callRoute(webhookRoute.PATCH, { method: "PATCH", headers: o.headers, params: { id: webhook.id }, body: JSON.stringify({ eventTypes: ["run.*", "topup.succeeded"] }) });
    expect(filtered.body).toMatchObject({ eventTypes: ["run.*", "topup.succeeded"] });
  });

  it("send test event reaches that endpoint only; resend sends the same webhook id again", async () => {
    const o = await owner("wh-test-event");
    const a = await receiver();
    const b = await receiver();
    const first = await addEndpoint(o, a.url);
    await addEndpoint(o, b.url);
    const res = await callRoute(testRoute.POST, { method: "POST", headers: o.headers, params: { id: first.webhook.id } });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ eventType: "webhook.test", state: "SUCCEEDED", attempts: 1, lastStatusCode: 200 });
    expect(a.got).toHaveLength(1);
    expect(new Webhook(first.secret).verify(a.got[0]!.body, a.got[0]!.headers)).toMatchObject({ type: "webhook.test", data: { data: { endpointId: first.webhook.id } } });
    // The other endpoint takes every type, yet never gets this one's test event.
    await dispatchWebhooks(db, { workspaceId: o.workspace.id });
    expect(await db.webhookDelivery.count({ where: { workspaceId: o.workspace.id, eventType: "webhook.test" } })).toBe(1);
    expect(b.got).toHaveLength(0);

    const delivery = res.body as unknown as DeliveryJson;
    const again = await callRoute(resendRoute.POST, { method: "POST", headers: o.headers, params: { id: first.webhook.id, deliveryId: delivery.id } });
    expect(again.body).toMatchObject({ id: delivery.id, state: "SUCCEEDED", attempts: 2 });
    expect(a.got).toHaveLength(2);
    expect(a.got[1]!.headers["webhook-id"]).toBe(a.got[0]!.headers["webhook-id"]);
    expect(a.got[1]!.body).toBe(a.got[0]!.body);

    expect((await callRoute(webhookRoute.DELETE, { method: "DELETE", headers: o.headers, params: { id: first.webhook.id } })).status).toBe(204);
    expect(await db.webhookDelivery.count({ where: { endpointId: first.webhook.id } })).toBe(0);
  });
});
