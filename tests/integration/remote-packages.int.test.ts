import { afterAll, describe, expect, it, vi } from "vitest";
import { Webhook } from "standardwebhooks";
import * as secretRoute from "@/app/api/v1/provider/secrets/[id]/route";
import * as secretsRoute from "@/app/api/v1/provider/secrets/route";
import { getDb } from "@/lib/db/client";
import { env } from "@/lib/env";
import { ApiError } from "@/lib/http/errors";
import type { OutboundPolicy } from "@/lib/http/outbound";
import { balanceOf } from "@/lib/ledger/ledger";
import { manifestSchema } from "@/lib/packages/manifest";
import { cardSnapshot, readAgentCard } from "@/lib/remote/a2a";
import { rotateProviderSecret } from "@/lib/remote/secrets";
import { validateRemoteVersion } from "@/lib/remote/validate-remote";
import { acceptRun } from "@/lib/runs/accept-run";
import { cancelRun } from "@/lib/runs/cancel-run";
import { quoteRun } from "@/lib/runs/money/quote";
import { FAKE_OUTPUT, startFakeProvider, type FakeProviderMode } from "../fakes/a2a-provider";
import { callRoute, sessionCookie } from "../helpers/call-route";
import { createRemotePackage, createUser, joinWorkspace, newSigningSecret, setWallet } from "../helpers/factories";
import { expectLedgerInvariantsAfterEach } from "../helpers/lifecycle";
import { loadRun, runToEnd, testExecutor } from "../helpers/run-harness";

// Remote packages over A2A (issue 19): runs against a fake provider built with
// the SDK's own server side — streamed progress, billable events priced from the
// manifest, the output checked against the schema, failures the provider causes
// free for the consumer; signed requests and secret rotation; the SSRF rules at
// save and at call time; the signing-secret API's authorization.

const db = getDb();
expectLedgerInvariantsAfterEach();
const secret = newSigningSecret();
const fake = await startFakeProvider({ secret });
const card = cardSnapshot((await readAgentCard(fake.url)).card);
const executor = testExecutor();
afterAll(() => fake.close());

const START = 1_000_000n;
const INPUT = { url: "https://example.com" };
const BASE = 20_000n;
const EVENT = 2_000n;

async function setup(opts: { secret?: string; agentCard?: object; timeoutSeconds?: number } = {}) {
  const remote = await createRemotePackage({ endpointUrl: fake.url, agentCard: opts.agentCard ?? card, secret: opts.secret ?? secret, baseFeeMicros: Number(BASE), priceMicros: Number(EVENT), timeoutSeconds: opts.timeoutSeconds });
  const consumer = await createUser("consumer", { tier: "enterprise" });
  const wallet = await setWallet(consumer.workspace.id, START);
  return { ...remote, consumer, balance: () => balanceOf(db, wallet) };
}
async function runIn(mode: FakeProviderMode, opts: Parameters<typeof setup>[0] = {}) {
  fake.mode = mode;
  const s = await setup(opts);
  const ended = await runToEnd(executor, s.consumer.principal, INPUT, s.pkg.slug);
  return { ...s, ...ended };
}
const streamRequest = (runId: string) => fake.requests.find((r) => r.raw.includes("SendStreamingMessage") && r.raw.includes(runId));

describe("running a remote package", () => {
  it("streams a run with two billable events: SUCCEEDED, charged base + events, progress in the transcript, signed request", async () => {
    fake.mode = "ok";
    const s = await setup();
    const quote = await quoteRun(s.consumer.principal, { agent: s.pkg.slug, input: INPUT }, executor);
    expect(quote).toMatchObject({ maxHoldMicros: Number(BASE + 50n * EVENT), maxBillableEventsMicros: Number(50n * EVENT), billableEvents: [{ name: "page_crawled", priceMicros: Number(EVENT), maxPerRun: 50 }] });

    const { run, events } = await runToEnd(executor, s.consumer.principal, INPUT, s.pkg.slug);
    expect(run).toMatchObject({ status: "SUCCEEDED", output: FAKE_OUTPUT, failureCause: null, billableEventsMicros: 5n * EVENT, priceMicros: BASE + 5n * EVENT });
    expect(run.remoteTaskId).toMatch(/\S/);
    expect(await s.balance()).toMatchObject({ postedMicros: START - BASE - 5n * EVENT, pendingDebitsMicros: 0n });
    // The hold covered the most the events could cost; the charge is what was reported.
    const transfers = await db.transfer.findMany({ where: { runId: run.id, reason: "run_charge" }, orderBy: { createdAt: "asc" } });
    expect(transfers.map((t) => [t.kind, t.amountMicros])).toEqual([["PENDING", BASE + 50n * EVENT], ["POST_PENDING", BASE + 5n * EVENT]]);
    // The provider is credited its share of base + events (80 %), pending; the platform keeps 20 %.
    const gross = BASE + 5n * EVENT;
    const fee = (gross * 2_000n + 5_000n) / 10_000n;
    expect(run).toMatchObject({ platformFeeBps: 2_000, providerShareMicros: gross - fee, platformFeeMicros: fee, passThroughMicros: 0n });
    const share = await db.transfer.findUniqueOrThrow({ where: { idempotencyKey: `run:${run.id}:share` } });
    expect(share).toMatchObject({ kind: "PENDING", reason: "provider_share", amountMicros: gross - fee, providerId: s.pkg.providerId });
    const text = events.filter((e) => e.type === "text").map((e) => (e.data as { text: string }).text).join("");
    expect(text).toContain("Crawled 3 pages");
    expect(text).toContain("Crawled 2 more pages");
    // The replayed evt_1 counted once: 3 + 2 events.
    const billed = events.flatMap((e) => ((e.data as { billableEvents?: { chargedCount: number }[] }).billableEvents ?? []).map((b) => b.chargedCount));
    expect(billed).toEqual([3, 2]);

    const req = streamRequest(run.id)!;
    expect(req.headers.authorization).toBe(`Bearer ${secret}`);
    expect(req.headers["webhook-signature"]).toMatch(/^v1,\S+$/);
    expect(() => new Webhook(secret).verify(req.raw, req.headers as Record<string, string>)).not.toThrow();
    expect(JSON.parse(req.raw).params.message.parts[0].data).toEqual(INPUT);
  });

  it("billable events past maxPerRun are recorded but not charged (never past the hold)", async () => {
    fake.mode = "ok";
    const remote = await createRemotePackage({ endpointUrl: fake.url, agentCard: card, secret, baseFeeMicros: Number(BASE), priceMicros: Number(EVENT), maxPerRun: 4 });
    const consumer = await createUser("consumer-cap", { tier: "enterprise" });
    await setWallet(consumer.workspace.id, START);
    const { run } = await runToEnd(executor, consumer.principal, INPUT, remote.pkg.slug);
    expect(run).toMatchObject({ status: "SUCCEEDED", billableEventsMicros: 4n * EVENT, priceMicros: BASE + 4n * EVENT });
  });

  it.each([
    ["http500", "remote_http_error", /HTTP 500/],
    ["invalid", "remote_invalid_output", /output schema/],
    ["failed", "remote_failed", /ended failed/],
    ["undeclared", "remote_protocol_error", /does not declare/],
  ] as const)("the provider answering %s: FAILED %s, cause provider, the consumer pays nothing", async (mode, code, message) => {
    const { run, balance } = await runIn(mode);
    expect(run).toMatchObject({ status: "FAILED", errorCode: code, failureCause: "provider", priceMicros: 0n });
    expect(run.errorMessage).toMatch(message);
    expect(await balance()).toMatchObject({ postedMicros: START, pendingDebitsMicros: 0n });
    // …and the provider earns nothing from it.
    expect(run).toMatchObject({ providerShareMicros: 0n, platformFeeMicros: 0n });
    expect(await db.transfer.count({ where: { runId: run.id, reason: { in: ["provider_share", "platform_fee"] } } })).toBe(0);
  });

  it("a provider past the run's time limit: FAILED remote_timeout, free, and its task canceled (CancelTask)", async () => {
    fake.mode = "stall";
    const s = await setup();
    const quick = testExecutor({ timeoutMs: 3_000 }); // the stream starts well within it, even on a loaded machine
    const { run } = await runToEnd(quick, s.consumer.principal, INPUT, s.pkg.slug);
    expect(run).toMatchObject({ status: "FAILED", errorCode: "remote_timeout", failureCause: "provider", priceMicros: 0n });
    await vi.waitFor(() => expect(fake.requests.some((r) => r.raw.includes("CancelTask") && r.raw.includes(run.remoteTaskId!))).toBe(true));
  });

  it("a consumer's cancel is sent to the provider as CancelTask; the run is CANCELED and pays the events reported so far", async () => {
    fake.mode = "stall";
    const s = await setup();
    const { run: accepted } = await acceptRun(s.consumer.principal, { agent: s.pkg.slug, input: INPUT }, { executor });
    await vi.waitFor(async () => expect((await db.run.findUniqueOrThrow({ where: { id: accepted.id } })).remoteTaskId).toBeTruthy(), { timeout: 10_000 });
    await vi.waitFor(async () => expect(await db.runEvent.count({ where: { runId: accepted.id, type: "text" } })).toBeGreaterThan(0), { timeout: 10_000 });
    await cancelRun(s.consumer.workspace.id, accepted.id, executor);
    await executor.settled();
    const { run } = await loadRun(accepted.id);
    expect(run).toMatchObject({ status: "CANCELED", billableEventsMicros: 3n * EVENT, priceMicros: 3n * EVENT });
    expect(fake.requests.some((r) => r.raw.includes("CancelTask") && r.raw.includes(run.remoteTaskId!))).toBe(true);
  });

  it("a remote run cannot be resumed: the next attempt cancels its task at the provider and ends it FAILED interrupted, free", async () => {
    const s = await setup();
    const idle = testExecutor({ works: false }); // accepts, claims nothing
    const { run: accepted } = await acceptRun(s.consumer.principal, { agent: s.pkg.slug, input: INPUT }, { executor: idle });
    // As a worker that died mid-run leaves it: RUNNING, its task started at the provider.
    await db.run.update({ where: { id: accepted.id }, data: { status: "RUNNING", remoteTaskId: "task-left-behind" } });
    expect(await idle.execute(accepted.id, 1)).toBe("ended");
    const { run } = await loadRun(accepted.id);
    expect(run).toMatchObject({ status: "FAILED", errorCode: "interrupted", failureCause: "platform", priceMicros: 0n });
    expect(fake.requests.some((r) => r.raw.includes("CancelTask") && r.raw.includes("task-left-behind"))).toBe(true);
    expect(await s.balance()).toMatchObject({ postedMicros: START, pendingDebitsMicros: 0n });
  });

  it("a provider holding another secret answers 401: FAILED remote_auth_rejected, visible on the run", async () => {
    const { run, events } = await runIn("ok", { secret: newSigningSecret() });
    expect(run).toMatchObject({ status: "FAILED", errorCode: "remote_auth_rejected", failureCause: "provider", priceMicros: 0n });
    expect(run.errorMessage).toBe("The provider refused Agora's signature or credentials.");
    expect(events.find((e) => e.type === "error")?.data).toMatchObject({ code: "remote_auth_rejected", cause: "provider" });
  });

  it("rotation: both secrets sign while the previous one is valid; a provider that already holds only the new one verifies", async () => {
    fake.mode = "ok";
    const s = await setup();
    const { secret: rotated } = await rotateProviderSecret(s.owner, null);
    fake.secret = rotated;
    try {
      const { run } = await runToEnd(executor, s.consumer.principal, INPUT, s.pkg.slug);
      expect(run.status).toBe("SUCCEEDED");
      const req = streamRequest(run.id)!;
      expect((req.headers["webhook-signature"] as string).split(" ")).toHaveLength(2);
      expect(req.headers.authorization).toBe(`Bearer ${rotated}`);
      for (const key of [secret, rotated]) expect(() => new Webhook(key).verify(req.raw, req.headers as Record<string, string>)).not.toThrow();
    } finally {
      fake.secret = secret;
    }
  });

  it("at call time: a published endpoint that is no longer allowed fails the run (endpoint_refused), nothing sent to it", async () => {
    const viaName = { ...card, supportedInterfaces: [{ ...(card as { supportedInterfaces: object[] }).supportedInterfaces[0], url: `${fake.url.replace("127.0.0.1", "localhost")}/a2a` }] };
    const before = fake.requests.length;
    const e = env();
    e.AGORA_ALLOW_LOOPBACK_ENDPOINTS = false; // as in production: loopback (and the name resolving to it) is refused
    try {
      for (const agentCard of [card, viaName]) {
        const { run } = await runIn("ok", { agentCard });
        expect(run).toMatchObject({ status: "FAILED", errorCode: "endpoint_refused", failureCause: "provider", priceMicros: 0n });
        expect(run.errorMessage).toMatch(/refused/);
      }
    } finally {
      e.AGORA_ALLOW_LOOPBACK_ENDPOINTS = true;
    }
    expect(fake.requests.length).toBe(before);
  });

  it("input is validated against the package's JSON Schema at acceptance (400 naming input.…)", async () => {
    const s = await setup();
    const err = await acceptRun(s.consumer.principal, { agent: s.pkg.slug, input: { link: 1 } }, { executor }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect((err as ApiError).details).toMatchObject({ issues: expect.arrayContaining([expect.objectContaining({ path: "input.url" })]) });
  });
});

describe("validateRemoteVersion", () => {
  const manifest = (endpointUrl: string, skillId = "summarize") =>
    manifestSchema.parse({
      kind: "remote",
      slug: "remote-check",
      version: "1.0.0",
      name: "Remote check",
      summary: "Checks a remote agent",
      category: "research",
      capabilities: ["summarize"],
      inputSchema: { type: "object" },
      outputSchema: { type: "object" },
      exampleInput: {},
      baseFeeMicros: 1000,
      remote: { endpointUrl, skillId },
    });
  const issue = async (p: Promise<unknown>) => {
    const err = await p.then(() => null, (e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect((err as ApiError).code).toBe("validation_failed");
    return ((err as ApiError).details as { issues: { path: string; message: string }[] }).issues[0]!;
  };

  it("reads and checks the card, answers the signed health probe, and returns the card snapshot", async () => {
    const { provider } = await setup();
    const before = fake.requests.length;
    const { agentCard } = await validateRemoteVersion(provider.id, manifest(fake.url));
    expect(agentCard).toMatchObject({ capabilities: { streaming: true }, skills: [{ id: "summarize" }] });
    const probe = fake.requests.slice(before).find((r) => r.raw.includes("GetTask"))!;
    expect(() => new Webhook(secret).verify(probe.raw, probe.headers as Record<string, string>)).not.toThrow();
  });

  it("refuses with 400s naming the field: no streaming, unknown skill, unreachable, wrong secret", async () => {
    const { provider } = await setup();
    const noStreaming = await startFakeProvider({ secret, streaming: false });
    try {
      expect(await issue(validateRemoteVersion(provider.id, manifest(noStreaming.url)))).toMatchObject({ path: "agentCard.capabilities.streaming", message: expect.stringMatching(/must be true/) });
    } finally {
      await noStreaming.close();
    }
    expect(await issue(validateRemoteVersion(provider.id, manifest(fake.url, "translate")))).toMatchObject({ path: "remote.skillId" });
    const closed = await startFakeProvider({ secret });
    await closed.close();
    expect(await issue(validateRemoteVersion(provider.id, manifest(closed.url)))).toMatchObject({ path: "remote.endpointUrl", message: expect.stringMatching(/could not read the agent card/) });
    const other = await setup({ secret: newSigningSecret() });
    expect(await issue(validateRemoteVersion(other.provider.id, manifest(fake.url)))).toMatchObject({ path: "remote.endpointUrl", message: expect.stringMatching(/refused Agora's signature/) });
  });

  it("SSRF at save: 127.0.0.1, 10.0.0.1, 169.254.169.254, a name resolving privately, http in production", async () => {
    const { provider } = await setup();
    const policy = (over: Partial<OutboundPolicy> = {}): OutboundPolicy => ({ production: false, allowLoopback: false, resolve: async () => [{ address: "93.184.216.34", family: 4 }], ...over });
    for (const url of [fake.url, "http://10.0.0.1/a2a", "http://169.254.169.254/latest/meta-data"]) {
      expect(await issue(validateRemoteVersion(provider.id, manifest(url), policy()))).toMatchObject({ path: "remote.endpointUrl", message: expect.stringMatching(/IP address/) });
    }
    const privateName = policy({ resolve: async () => [{ address: "192.168.10.4", family: 4 }] });
    expect(await issue(validateRemoteVersion(provider.id, manifest("https://agent.example.com"), privateName))).toMatchObject({ path: "remote.endpointUrl", message: expect.stringMatching(/192\.168\.10\.4/) });
    expect(await issue(validateRemoteVersion(provider.id, manifest("http://agent.example.com"), policy({ production: true })))).toMatchObject({ path: "remote.endpointUrl", message: expect.stringMatching(/https:\/\//) });
  });
});

describe("signing secrets API", () => {
  const cookieOf = async (u: Awaited<ReturnType<typeof createUser>>) => ({ cookie: await sessionCookie(u.user.id, u.workspace.id) });

  it("owner: made and shown once, listed without the secret, rotated (previous valid 24 h, older revoked), revoked; audit-logged", async () => {
    const { owner } = await setup();
    const headers = { cookie: await sessionCookie(owner.userId!, owner.workspace.id) };
    const made = await callRoute(secretsRoute.POST, { method: "POST", headers });
    expect(made.status).toBe(201);
    const first = made.body as unknown as { secret: string; signingSecret: { id: string; last4: string } };
    expect(first.secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(first.signingSecret.last4).toBe(first.secret.slice(-4));
    const second = (await callRoute(secretsRoute.POST, { method: "POST", headers })).body as unknown as { secret: string; signingSecret: { id: string } };

    const listed = await callRoute(secretsRoute.GET, { headers });
    expect(listed.status).toBe(200);
    const secrets = (listed.body as unknown as { secrets: { id: string; current: boolean; expiresAt: string | null }[] }).secrets;
    // The factory's secret was revoked by the second rotation; the first is the previous one, the second current.
    expect(secrets.map((s) => [s.id, s.current])).toEqual([[second.signingSecret.id, true], [first.signingSecret.id, false]]);
    const expiresIn = new Date(secrets[1]!.expiresAt!).getTime() - Date.now();
    expect(expiresIn).toBeGreaterThan(23 * 3_600_000);
    expect(expiresIn).toBeLessThanOrEqual(24 * 3_600_000);
    expect(JSON.stringify(listed.body)).not.toContain(first.secret.slice(6, 30));

    expect((await callRoute(secretRoute.DELETE, { method: "DELETE", params: { id: first.signingSecret.id }, headers })).status).toBe(200);
    expect((await callRoute(secretRoute.DELETE, { method: "DELETE", params: { id: first.signingSecret.id }, headers })).status).toBe(404);
    expect(await db.auditLog.count({ where: { workspaceId: owner.workspace.id, action: { in: ["provider.secret_rotated", "provider.secret_revoked"] } } })).toBe(3);
  });

  it("authorization: anonymous 401, a member 403, another workspace's owner and an admin only see their own (404)", async () => {
    const { owner } = await setup();
    const headers = { cookie: await sessionCookie(owner.userId!, owner.workspace.id) };
    const made = (await callRoute(secretsRoute.POST, { method: "POST", headers })).body as unknown as { signingSecret: { id: string } };
    const id = made.signingSecret.id;

    expect((await callRoute(secretsRoute.GET)).status).toBe(401);
    expect((await callRoute(secretsRoute.POST, { method: "POST" })).status).toBe(401);
    expect((await callRoute(secretRoute.DELETE, { method: "DELETE", params: { id } })).status).toBe(401);

    const member = await createUser("secrets-member");
    await joinWorkspace(member.user.id, owner.workspace.id, "MEMBER");
    const asMember = { cookie: await sessionCookie(member.user.id, owner.workspace.id) };
    expect((await callRoute(secretsRoute.GET, { headers: asMember })).status).toBe(403);
    expect((await callRoute(secretsRoute.POST, { method: "POST", headers: asMember })).status).toBe(403);
    expect((await callRoute(secretRoute.DELETE, { method: "DELETE", params: { id }, headers: asMember })).status).toBe(403);

    const intruder = await createUser("secrets-intruder");
    const admin = await createUser("secrets-admin");
    await db.user.update({ where: { id: admin.user.id }, data: { isAdmin: true } });
    for (const other of [intruder, admin]) {
      const h = await cookieOf(other);
      expect((await callRoute(secretsRoute.GET, { headers: h })).body).toEqual({ secrets: [] });
      expect((await callRoute(secretRoute.DELETE, { method: "DELETE", params: { id }, headers: h })).status).toBe(404);
      expect((await callRoute(secretsRoute.POST, { method: "POST", headers: h })).status).toBe(409); // no provider profile
    }
    expect(await db.providerSecret.findUniqueOrThrow({ where: { id } })).toMatchObject({ revokedAt: null });
  });
});
