import { randomUUID } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { describe, expect, it } from "vitest";
import * as agentsRoute from "@/app/api/v1/agents/route";
import * as agentRoute from "@/app/api/v1/agents/[slug]/route";
import * as approveRoute from "@/app/api/v1/admin/reviews/[id]/approve/route";
import * as rejectRoute from "@/app/api/v1/admin/reviews/[id]/reject/route";
import * as reviewsRoute from "@/app/api/v1/admin/reviews/route";
import * as packagesRoute from "@/app/api/v1/provider/packages/route";
import * as priceChangeRoute from "@/app/api/v1/provider/packages/[slug]/price-changes/[id]/route";
import * as priceChangesRoute from "@/app/api/v1/provider/packages/[slug]/price-changes/route";
import * as submitRoute from "@/app/api/v1/provider/packages/[slug]/versions/[version]/submit/route";
import * as validateRoute from "@/app/api/v1/provider/packages/[slug]/versions/[version]/validate/route";
import * as versionRoute from "@/app/api/v1/provider/packages/[slug]/versions/[version]/route";
import * as yankRoute from "@/app/api/v1/provider/packages/[slug]/versions/[version]/yank/route";
import * as providerRunsRoute from "@/app/api/v1/provider/runs/route";
import { latestPublishedPackage } from "@/lib/agents/published-packages";
import { createApiKey } from "@/lib/api-keys/api-keys";
import { getDb } from "@/lib/db/client";
import { EXAMPLE_MANIFEST } from "@/lib/packages/example-manifest";
import { applyDuePriceChanges } from "@/lib/packages/price-changes";
import { saveWorkspaceProvider } from "@/lib/providers/providers";
import { rotateProviderSecret } from "@/lib/remote/secrets";
import { startFakeProvider } from "../fakes/a2a-provider";
import { callRoute as callRouteRaw, sessionCookie } from "../helpers/call-route";
import { createRemotePackage, createUser, joinWorkspace, newSigningSecret } from "../helpers/factories";

// Publishing and review (issue 19 item 4): a provider's versions through
// DRAFT → VALIDATED → SUBMITTED → PUBLISHED → YANKED over the API, each bad
// input refused with nothing written, the admin's review with stale actions
// refused, semver ordering of the latest version, price changes with notice,
// runs of a provider's packages, and who may call each route.

const db = getDb();
const unique = (label: string) => `${label}-${randomUUID().slice(0, 8)}`;
type Body = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const callRoute = async (...args: Parameters<typeof callRouteRaw>) => (await callRouteRaw(...args)) as { status: number; body: Body | null };

async function provider(label: string, tier?: "enterprise") {
  const u = await createUser(label, { tier });
  const profile = await saveWorkspaceProvider(u.principal, { name: `${label} Labs`, slug: unique(label) }, null);
  return { ...u, provider: profile, cookie: await sessionCookie(u.user.id, u.workspace.id) };
}
async function admin() {
  const u = await createUser("reviewer");
  await db.user.update({ where: { id: u.user.id }, data: { isAdmin: true } });
  return { ...u, cookie: await sessionCookie(u.user.id, u.workspace.id) };
}
const manifest = (slug: string, extra: Body = {}): Body => ({ ...structuredClone(EXAMPLE_MANIFEST), slug, ...extra });
const as = (cookie: string | undefined) => ({ headers: cookie ? { cookie } : ({} as Record<string, string>) });

const create = (cookie: string | undefined, body: Body) => callRoute(packagesRoute.POST, { method: "POST", path: "/api/v1/provider/packages", body: JSON.stringify(body), ...as(cookie) });
const vpath = (slug: string, version: string, action = "") => `/api/v1/provider/packages/${slug}/versions/${version}${action}`;
const getVersion = (cookie: string | undefined, slug: string, version: string) => callRoute(versionRoute.GET, { path: vpath(slug, version), params: { slug, version }, ...as(cookie) });
const putVersion = (cookie: string | undefined, body: Body) =>
  callRoute(versionRoute.PUT, { method: "PUT", path: vpath(body.slug, body.version), params: { slug: body.slug, version: body.version }, body: JSON.stringify(body), ...as(cookie) });
const act = (route: { POST: Parameters<typeof callRoute>[0] }, name: string) => (cookie: string | undefined, slug: string, version: string, body: Body = {}) =>
  callRoute(route.POST, { method: "POST", path: vpath(slug, version, `/${name}`), params: { slug, version }, body: JSON.stringify(body), ...as(cookie) });
const validate = act(validateRoute, "validate");
const submit = act(submitRoute, "submit");
const yank = act(yankRoute, "yank");
const review = (route: typeof approveRoute | typeof rejectRoute, cookie: string, id: string, body: Body = {}) =>
  callRoute(route.POST, { method: "POST", path: `/api/v1/admin/reviews/${id}/x`, params: { id }, body: JSON.stringify(body), ...as(cookie) });
const agent = (slug: string) => callRoute(agentRoute.GET, { path: `/api/v1/agents/${slug}`, params: { slug } });
const catalog = async (providerSlug: string) => ((await callRoute(agentsRoute.GET, { path: `/api/v1/agents?provider=${providerSlug}` })).body as Body).data as Body[];
const issuePaths = (res: { body: Body | null }) => (res.body?.error.details.issues as { path: string }[]).map((i) => i.path);

/** Creates, validates and submits a version: its id and the updatedAt a reviewer sees. */
async function submitted(p: { cookie: string }, body: Body): Promise<{ id: string; seen: string }> {
  const created = await create(p.cookie, body);
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  expect((await validate(p.cookie, body.slug, body.version)).status).toBe(200);
  const sent = await submit(p.cookie, body.slug, body.version);
  expect(sent.status).toBe(200);
  return { id: created.body!.version.id, seen: sent.body!.version.updatedAt };
}

/** Creates, validates, submits and approves a version: its id. */
async function publish(p: { cookie: string }, reviewer: { cookie: string }, body: Body): Promise<string> {
  const { id } = await submitted(p, body);
  const approved = await review(approveRoute, reviewer.cookie, id);
  expect(approved.status, JSON.stringify(approved.body)).toBe(200);
  return id;
}

describe("publishing lifecycle", () => {
  it("takes a hosted version from draft to published; consumers see it only once approved, with the byline", async () => {
    const p = await provider("pub-happy");
    const reviewer = await admin();
    const slug = unique("csv-sum");
    const created = await create(p.cookie, manifest(slug));
    expect(created.status).toBe(201);
    expect(created.body!.version).toMatchObject({ slug, version: "1.0.0", kind: "HOSTED", status: "DRAFT", baseFeeMicros: 20_000, manifest: { hosted: { model: "claude-haiku-4-5" } } });
    const row = await db.agentPackage.findUniqueOrThrow({ where: { id: created.body!.version.id } });
    expect(row).toMatchObject({ providerId: p.provider.id, ownerWorkspaceId: p.workspace.id, model: "claude-haiku-4-5", maxOutputTokens: 1024, category: "data", capabilities: ["csv", "profiling"] });

    // A draft is nobody else's business.
    expect((await agent(slug)).status).toBe(404);
    expect(await catalog(p.provider.slug)).toEqual([]);

    expect((await validate(p.cookie, slug, "1.0.0")).body!.version).toMatchObject({ status: "VALIDATED", validatedAt: expect.any(String) });
    // An edit sends it back to DRAFT.
    const edited = await putVersion(p.cookie, manifest(slug, { summary: "Profiles a CSV file and explains each column." }));
    expect(edited.body!.version).toMatchObject({ status: "DRAFT", validatedAt: null, summary: "Profiles a CSV file and explains each column." });
    expect((await submit(p.cookie, slug, "1.0.0")).status).toBe(409); // only from VALIDATED
    await validate(p.cookie, slug, "1.0.0");
    expect((await submit(p.cookie, slug, "1.0.0")).body!.version.status).toBe("SUBMITTED");
    const frozen = await putVersion(p.cookie, manifest(slug, { name: "Changed after submit" }));
    expect(frozen.status).toBe(409);
    expect((await db.agentPackage.findUniqueOrThrow({ where: { id: row.id } })).name).toBe("CSV summary");
    expect((await agent(slug)).status).toBe(404);

    const queue = (await callRoute(reviewsRoute.GET, { path: "/api/v1/admin/reviews?limit=50", ...as(reviewer.cookie) })).body!;
    expect(queue.data.map((v: Body) => v.id)).toContain(row.id);
    const approved = await review(approveRoute, reviewer.cookie, row.id, { expectedUpdatedAt: queue.data.find((v: Body) => v.id === row.id).updatedAt });
    expect(approved.body!.version).toMatchObject({ status: "PUBLISHED", publishedAt: expect.any(String) });

    expect((await agent(slug)).body).toMatchObject({ slug, version: "1.0.0", provider: { slug: p.provider.slug, name: "pub-happy Labs" } });
    expect((await catalog(p.provider.slug)).map((a) => a.slug)).toEqual([slug]);
    const search = (await callRoute(agentsRoute.GET, { path: `/api/v1/agents?q=explains+column&provider=${p.provider.slug}` })).body!;
    expect(search.data.map((a: Body) => a.slug)).toEqual([slug]);
    expect((await latestPublishedPackage(slug))?.id).toBe(row.id);

    const listed = (await callRoute(packagesRoute.GET, as(p.cookie))).body!;
    expect(listed.packages).toEqual([expect.objectContaining({ slug, published: "1.0.0", versions: [expect.objectContaining({ version: "1.0.0", status: "PUBLISHED" })] })]);
    const audit = await db.auditLog.findMany({ where: { target: row.id }, orderBy: { createdAt: "asc" }, select: { action: true, actorUserId: true } });
    expect(audit.map((a) => a.action)).toEqual(["package.created", "package.validated", "package.updated", "package.validated", "package.submitted", "admin.package.approved"]);
    expect(audit.at(-1)!.actorUserId).toBe(reviewer.user.id);
  });

  it("a rejection's reason reaches the provider, who edits and submits again", async () => {
    const p = await provider("pub-reject");
    const reviewer = await admin();
    const slug = unique("rejected");
    const { id } = await submitted(p, manifest(slug));
    const short = await review(rejectRoute, reviewer.cookie, id, { reason: "no" });
    expect(short.status).toBe(400);
    expect(issuePaths(short)).toEqual(["reason"]);
    expect((await review(rejectRoute, reviewer.cookie, id, { reason: "The summary does not say what the output is." })).body!.version.status).toBe("REJECTED");
    expect((await getVersion(p.cookie, slug, "1.0.0")).body!.version).toMatchObject({ status: "REJECTED", reviewNote: "The summary does not say what the output is." });
    expect((await putVersion(p.cookie, manifest(slug, { summary: "Returns a one-paragraph summary of a CSV file." }))).body!.version.status).toBe("DRAFT");
    expect(await db.auditLog.count({ where: { target: id, action: "admin.package.rejected" } })).toBe(1);
  });

  it("refuses a stale reviewer action with a 409: a version already reviewed, or changed since the reviewer saw it", async () => {
    const p = await provider("pub-stale");
    const reviewer = await admin();
    const slug = unique("stale");
    const { id, seen } = await submitted(p, manifest(slug));
    await review(rejectRoute, reviewer.cookie, id, { reason: "Please describe the output schema." });
    const late = await review(approveRoute, reviewer.cookie, id, { expectedUpdatedAt: seen });
    expect(late.status).toBe(409);
    expect(late.body!.error.message).toMatch(/rejected/);

    // The provider fixes and resubmits; an approval made from the first submission's page is stale.
    await putVersion(p.cookie, manifest(slug, { description: "Now with an output description." }));
    await validate(p.cookie, slug, "1.0.0");
    await submit(p.cookie, slug, "1.0.0");
    expect((await review(approveRoute, reviewer.cookie, id, { expectedUpdatedAt: seen })).status).toBe(409);
    expect((await db.agentPackage.findUniqueOrThrow({ where: { id } })).status).toBe("SUBMITTED");
    expect((await review(approveRoute, reviewer.cookie, "no-such-version")).status).toBe(404);
    expect((await review(approveRoute, reviewer.cookie, id)).body!.version.status).toBe("PUBLISHED");
    expect((await review(approveRoute, reviewer.cookie, id)).status).toBe(409);
  });

  it("a remote version is checked against its agent's card with a signed probe, stores the card, and is reviewed like any other; a refused check writes nothing", async () => {
    const p = await provider("pub-remote");
    const { secret } = await rotateProviderSecret(p.principal, null);
    const fake = await startFakeProvider({ secret });
    try {
      const slug = unique("remote");
      const { hosted: _hosted, ...rest } = manifest(slug);
      const remote = (endpointUrl: string) => ({ ...rest, kind: "remote", remote: { endpointUrl, skillId: "summarize", billableEvents: [{ name: "page_read", description: "One page read.", priceMicros: 1_000, maxPerRun: 5 }] } });
      const created = await create(p.cookie, remote("https://agent.invalid/a2a"));
      expect(created.status).toBe(201);
      expect(created.body!.version).toMatchObject({ kind: "REMOTE", manifest: { remote: { timeoutSeconds: 120 } } });
      const id = created.body!.version.id as string;
      expect(await db.agentPackage.findUniqueOrThrow({ where: { id } })).toMatchObject({ model: "remote", maxOutputTokens: 0 });

      const refused = await validate(p.cookie, slug, "1.0.0"); // the name resolves to nothing
      expect(refused.status).toBe(400);
      expect(issuePaths(refused)).toContain("remote.endpointUrl");
      expect(await db.agentPackage.findUniqueOrThrow({ where: { id } })).toMatchObject({ status: "DRAFT", validatedAt: null, agentCard: null });

      expect((await putVersion(p.cookie, remote(fake.url))).status).toBe(200);
      expect((await validate(p.cookie, slug, "1.0.0")).status).toBe(200);
      const validated = await db.agentPackage.findUniqueOrThrow({ where: { id } });
      expect(validated).toMatchObject({ status: "VALIDATED", agentCard: { skills: [{ id: "summarize" }] } });
      expect(fake.requests.some((r) => r.method === "POST" && typeof r.headers["webhook-signature"] === "string")).toBe(true); // the signed probe
      expect((await submit(p.cookie, slug, "1.0.0")).status).toBe(200);
      expect((await review(approveRoute, (await admin()).cookie, id)).body!.version.status).toBe("PUBLISHED");
      expect((await agent(slug)).status).toBe(200);
    } finally {
      await fake.close();
    }
  });
});

describe("bad manifests", () => {
  it("answers 400 naming each JSON path, and writes nothing", async () => {
    const p = await provider("pub-bad");
    const slug = unique("bad");
    const base = manifest(slug);
    const cases: [string, Body, string[]][] = [
      ["unknown tool", { ...base, hosted: { ...base.hosted, tools: [{ tool: "profile_csv" }, { tool: "aggregate" }, { tool: "rm_rf" }] } }, ["hosted.tools.2.tool"]],
      ["regex in the schema", { ...base, inputSchema: { type: "object", properties: { x: { type: "string", pattern: "^(a+)+$" } } } }, ["inputSchema.properties.x.pattern"]],
      ["remote $ref", { ...base, outputSchema: { $ref: "https://evil.example/schema.json" } }, ["outputSchema.$ref"]],
      ["example not valid", { ...base, exampleInput: { csv: 42 } }, ["exampleInput.csv"]],
      ["unknown model", { ...base, hosted: { ...base.hosted, model: "gpt-99" } }, ["hosted.model"]],
      ["negative fee", { ...base, baseFeeMicros: -1 }, ["baseFeeMicros"]],
      ["fee above the maximum", { ...base, baseFeeMicros: 50_000_001 }, ["baseFeeMicros"]],
      ["bad version", { ...base, version: "1.0" }, ["version"]],
      ["run_agent without a published target", { ...base, hosted: { ...base.hosted, tools: [{ tool: "run_agent", agent: "no-such-agent" }] } }, ["hosted.tools.0.agent", "hosted.offline.calls.0.tool"]],
      ["category not a word", { ...base, category: "Data Stuff" }, ["category"]],
      ["missing hosted section", { ...base, hosted: undefined }, ["hosted"]],
    ];
    for (const [what, body, paths] of cases) {
      const res = await create(p.cookie, body);
      expect(res.status, what).toBe(400);
      expect(res.body!.error.code, what).toBe("validation_failed");
      expect(issuePaths(res), what).toEqual(paths);
      expect(res.body!.error.message, what).not.toMatch(/^Invalid|undefined/);
    }
    const { hosted: _hosted, ...rest } = base;
    const events = await create(p.cookie, { ...rest, kind: "remote", remote: { endpointUrl: "https://agent.example", billableEvents: [{ name: "page", description: "A page.", priceMicros: 60_000_000, maxPerRun: 1 }] } });
    expect(issuePaths(events)).toEqual(["remote.billableEvents.0.priceMicros"]);
    expect(await db.agentPackage.count({ where: { slug } })).toBe(0);
    expect(await db.auditLog.count({ where: { workspaceId: p.workspace.id, action: { startsWith: "package." } } })).toBe(0);
  });

  it("a slug of another provider or of a built-in, or a version not above the others, is a 409", async () => {
    const a = await provider("pub-slug-a");
    const b = await provider("pub-slug-b");
    const slug = unique("claimed");
    expect((await create(a.cookie, manifest(slug))).status).toBe(201);
    const taken = await create(b.cookie, manifest(slug, { version: "2.0.0" }));
    expect(taken.status).toBe(409);
    expect(issuePaths(taken)).toEqual(["slug"]);
    expect((await create(b.cookie, manifest("data-processor", { version: "99.0.0" }))).status).toBe(409);
    for (const version of ["1.0.0", "0.9.0", "1.0.0-beta.1"]) {
      const res = await create(a.cookie, manifest(slug, { version }));
      expect(res.status, version).toBe(409);
      expect(issuePaths(res), version).toEqual(["version"]);
    }
    expect((await create(a.cookie, manifest(slug, { version: "1.0.1" }))).status).toBe(201);
    expect(await db.agentPackage.count({ where: { slug } })).toBe(2);
    expect(await db.agentPackage.count({ where: { providerId: b.provider.id } })).toBe(0);
  });

  it("two providers claiming a new slug at once: one wins, the other gets a 409", async () => {
    const [a, b] = await Promise.all([provider("pub-race-a"), provider("pub-race-b")]);
    const slug = unique("race");
    const results = await Promise.all([create(a.cookie, manifest(slug)), create(b.cookie, manifest(slug, { version: "1.0.1" }))]);
    expect(results.map((r) => r.status).sort()).toEqual([201, 409]);
    expect(new Set((await db.agentPackage.findMany({ where: { slug }, select: { providerId: true } })).map((r) => r.providerId)).size).toBe(1);
  });
});

describe("validating while the version changes", () => {
  it("an edit made while the remote check runs makes the validation a 409: the checked manifest is not the one saved", async () => {
    const p = await provider("pub-race");
    const { secret } = await rotateProviderSecret(p.principal, null);
    const fake = await startFakeProvider({ secret });
    let open!: () => void;
    const gate = new Promise<void>((resolve) => (open = resolve));
    let asked!: () => void;
    const cardAsked = new Promise<void>((resolve) => (asked = resolve));
    // The agent's card, served only when the test says: the check is under way meanwhile.
    const slow = http.createServer(async (_req, res) => {
      asked();
      await gate;
      const card = await (await fetch(`${fake.url}/.well-known/agent-card.json`)).text();
      res.writeHead(200, { "content-type": "application/json" }).end(card);
    });
    await new Promise<void>((resolve) => slow.listen(0, "127.0.0.1", resolve));
    try {
      const slug = unique("race");
      const { hosted: _hosted, ...rest } = manifest(slug);
      const body = { ...rest, kind: "remote", remote: { endpointUrl: `http://127.0.0.1:${(slow.address() as AddressInfo).port}`, skillId: "summarize" } };
      expect((await create(p.cookie, body)).status).toBe(201);
      const validating = validate(p.cookie, slug, "1.0.0");
      await cardAsked;
      expect((await putVersion(p.cookie, { ...body, name: "Renamed while validating" })).status).toBe(200);
      open();
      const res = await validating;
      expect(res.status).toBe(409);
      expect(res.body!.error.message).toContain("edited meanwhile");
      expect(await db.agentPackage.findFirstOrThrow({ where: { slug } })).toMatchObject({ status: "DRAFT", name: "Renamed while validating", agentCard: null });
    } finally {
      open();
      slow.close();
      await fake.close();
    }
  });
});

describe("what a hosted package may call, and what a new version may charge", () => {
  it("run_agent may not target a remote package (the caller's data would leave Agora) nor the provider's own package", async () => {
    const p = await provider("pub-targets");
    const reviewer = await admin();
    const ownSlug = unique("own");
    await publish(p, reviewer, manifest(ownSlug));
    const { pkg: remote } = await createRemotePackage({ endpointUrl: "https://agent.example/a2a", agentCard: {}, secret: newSigningSecret() });
    const calling = (target: string) => manifest(unique("caller"), { hosted: { ...structuredClone(EXAMPLE_MANIFEST.hosted), tools: [{ tool: "profile_csv" }, { tool: "run_agent", agent: target }] } });
    const toRemote = await create(p.cookie, calling(remote.slug));
    expect(toRemote.status).toBe(400);
    expect(toRemote.body!.error.details.issues).toEqual([{ path: "hosted.tools.1.agent", message: expect.stringContaining("is a remote package") }]);
    const toOwn = await create(p.cookie, calling(ownSlug));
    expect(toOwn.status).toBe(400);
    expect(toOwn.body!.error.details.issues).toEqual([{ path: "hosted.tools.1.agent", message: expect.stringContaining("your own package") }]);
    expect((await create(p.cookie, calling("data-processor"))).status).toBe(201); // another provider's (Agora's) package
  });

  it("a new version may not raise the price (that takes a price change with notice); the same or a lower fee is fine", async () => {
    const p = await provider("pub-fee");
    const slug = unique("fee");
    await publish(p, await admin(), manifest(slug, { baseFeeMicros: 20_000 }));
    const raised = await create(p.cookie, manifest(slug, { version: "1.1.0", baseFeeMicros: 30_000 }));
    expect(raised.status).toBe(400);
    expect(issuePaths(raised)).toEqual(["baseFeeMicros"]);
    expect(raised.body!.error.message).toContain("price change");
    expect(await db.agentPackage.count({ where: { slug } })).toBe(1);
    expect((await create(p.cookie, manifest(slug, { version: "1.1.0", baseFeeMicros: 20_000 }))).status).toBe(201);
  });
});

describe("latest version", () => {
  it("is the highest published by semver (1.10.0 over 1.9.0, whatever the creation order); yanking falls back, then removes the package", async () => {
    const p = await provider("pub-semver");
    const reviewer = await admin();
    const slug = unique("semver");
    const older = await publish(p, reviewer, manifest(slug, { version: "1.9.0" }));
    const newer = await publish(p, reviewer, manifest(slug, { version: "1.10.0", name: "CSV summary ten" }));
    // Even if 1.10.0 had been created first, it stays the latest.
    await db.agentPackage.update({ where: { id: newer }, data: { createdAt: new Date(Date.now() - 86_400_000) } });
    await latestPublishedPackage(slug); // warm the cache: the yank below must drop it
    expect((await agent(slug)).body).toMatchObject({ version: "1.10.0", name: "CSV summary ten", versions: [{ version: "1.10.0" }, { version: "1.9.0" }] });
    expect((await catalog(p.provider.slug)).map((a) => a.version)).toEqual(["1.10.0"]);
    // A draft 2.0.0 changes nothing for consumers.
    await create(p.cookie, manifest(slug, { version: "2.0.0" }));
    expect((await latestPublishedPackage(slug))?.version).toBe("1.10.0");

    expect((await yank(p.cookie, slug, "1.10.0", { reason: "short" })).status).toBe(400);
    const yanked = await yank(p.cookie, slug, "1.10.0", { reason: "It mislabels numeric columns." });
    expect(yanked.body!.version).toMatchObject({ status: "YANKED", yankReason: "It mislabels numeric columns." });
    expect((await latestPublishedPackage(slug))?.id).toBe(older);
    expect((await agent(slug)).body).toMatchObject({ version: "1.9.0" });
    expect((await yank(p.cookie, slug, "1.10.0", { reason: "It mislabels numeric columns." })).status).toBe(409);
    expect((await yank(p.cookie, slug, "2.0.0", { reason: "It is not even published." })).status).toBe(409);

    await yank(p.cookie, slug, "1.9.0", { reason: "Superseded, and also broken." });
    expect(await latestPublishedPackage(slug)).toBeNull();
    expect((await agent(slug)).status).toBe(404);
    expect(await catalog(p.provider.slug)).toEqual([]);
  });
});

describe("price changes", () => {
  it("a decrease applies at once to every version; an increase after the notice, through the job, once", async () => {
    const p = await provider("pub-price");
    const reviewer = await admin();
    const slug = unique("priced");
    await publish(p, reviewer, manifest(slug, { version: "1.0.0" }));
    await publish(p, reviewer, manifest(slug, { version: "1.1.0" }));
    const schedule = (baseFeeMicros: number, cookie = p.cookie) =>
      callRoute(priceChangesRoute.POST, { method: "POST", path: `/api/v1/provider/packages/${slug}/price-changes`, params: { slug }, body: JSON.stringify({ baseFeeMicros }), ...as(cookie) });
    const fees = async () => (await db.agentPackage.findMany({ where: { slug }, select: { baseFeeMicros: true } })).map((r) => Number(r.baseFeeMicros));

    await latestPublishedPackage(slug);
    const down = await schedule(10_000);
    expect(down.status).toBe(201);
    expect(down.body!.priceChange).toMatchObject({ baseFeeMicros: 10_000, appliedAt: expect.any(String) });
    expect(await fees()).toEqual([10_000, 10_000]);
    expect((await latestPublishedPackage(slug))?.baseFeeMicros).toBe(10_000n);

    expect((await schedule(10_000)).status).toBe(400);
    expect((await schedule(50_000_001)).status).toBe(400);
    expect((await schedule(-5)).status).toBe(400);

    const up = await schedule(30_000);
    const effectiveAt = new Date(up.body!.priceChange.effectiveAt);
    expect(effectiveAt.getTime() - Date.now()).toBeGreaterThan(13.9 * 86_400_000);
    expect(up.body!.priceChange.appliedAt).toBeNull();
    expect(await fees()).toEqual([10_000, 10_000]);
    expect((await agent(slug)).body!.pendingPriceChange).toMatchObject({ baseFeeMicros: 30_000, effectiveAt: effectiveAt.toISOString() });

    await applyDuePriceChanges(db, new Date(Date.now() + 86_400_000));
    expect(await fees()).toEqual([10_000, 10_000]);
    const later = new Date(Date.now() + 15 * 86_400_000);
    const runs = await Promise.all([applyDuePriceChanges(db, later), applyDuePriceChanges(db, later)]);
    expect(await fees()).toEqual([30_000, 30_000]);
    expect(await db.packagePriceChange.count({ where: { id: up.body!.priceChange.id, appliedAt: { not: null } } })).toBe(1);
    expect(runs.every((r) => r.applied <= 1)).toBe(true);
    expect((await latestPublishedPackage(slug))?.baseFeeMicros).toBe(30_000n);
    expect((await agent(slug)).body!.pendingPriceChange).toBeNull();
    expect((await applyDuePriceChanges(db, later)).applied).toBe(0);
  });

  it("the provider cancels a pending increase; another provider cannot schedule or cancel", async () => {
    const p = await provider("pub-cancel");
    const other = await provider("pub-cancel-other");
    const reviewer = await admin();
    const slug = unique("cancel");
    await publish(p, reviewer, manifest(slug));
    const up = await callRoute(priceChangesRoute.POST, { method: "POST", path: "/x", params: { slug }, body: JSON.stringify({ baseFeeMicros: 90_000 }), ...as(p.cookie) });
    const id = up.body!.priceChange.id as string;
    const cancel = (cookie: string) => callRoute(priceChangeRoute.DELETE, { method: "DELETE", path: "/x", params: { slug, id }, ...as(cookie) });
    expect((await callRoute(priceChangesRoute.POST, { method: "POST", path: "/x", params: { slug }, body: JSON.stringify({ baseFeeMicros: 1 }), ...as(other.cookie) })).status).toBe(404);
    expect((await cancel(other.cookie)).status).toBe(404);
    expect((await cancel(p.cookie)).body!.priceChange.canceledAt).toEqual(expect.any(String));
    expect((await cancel(p.cookie)).status).toBe(409);
    expect((await applyDuePriceChanges(db, new Date(Date.now() + 15 * 86_400_000))).applied).toBe(0);
    expect(Number((await db.agentPackage.findFirstOrThrow({ where: { slug } })).baseFeeMicros)).toBe(20_000);
    expect((await callRoute(priceChangesRoute.GET, { path: "/x", params: { slug }, ...as(p.cookie) })).body!.priceChanges).toHaveLength(1);
  });
});

describe("runs of my packages", () => {
  it("lists runs of the provider's packages with status, price and failure cause, never the consumer's input or output", async () => {
    const p = await provider("pub-runs");
    const other = await provider("pub-runs-other");
    const reviewer = await admin();
    const consumer = await createUser("pub-consumer");
    const slug = unique("ran");
    const packageId = await publish(p, reviewer, manifest(slug));
    const base = { workspaceId: consumer.workspace.id, packageId, agentSlug: slug, packageVersion: "1.0.0", provider: "offline", model: "offline", input: { csv: "secret,data" } };
    const started = new Date(Date.now() - 5_000);
    await db.run.create({ data: { ...base, status: "SUCCEEDED", output: { summary: "private" }, priceMicros: 20_000n, startedAt: started, finishedAt: new Date(started.getTime() + 1_500) } });
    await db.run.create({ data: { ...base, status: "FAILED", failureCause: "provider", errorMessage: "consumer-visible detail" } });
    const list = (cookie: string, query = "") => callRoute(providerRunsRoute.GET, { path: `/api/v1/provider/runs${query}`, ...as(cookie) });
    const first = await list(p.cookie, "?limit=1");
    expect(first.body!.data).toEqual([expect.objectContaining({ agent: slug, version: "1.0.0", status: "FAILED", failureCause: "provider", priceMicros: 0 })]);
    const second = await list(p.cookie, `?limit=1&cursor=${first.body!.nextCursor}`);
    expect(second.body!.data).toEqual([expect.objectContaining({ status: "SUCCEEDED", priceMicros: 20_000, durationMs: 1_500 })]);
    expect(JSON.stringify([first.body, second.body])).not.toMatch(/secret|private|consumer-visible|pub-consumer/);
    expect((await list(other.cookie)).body!.data).toEqual([]);
  });
});

describe("publishing authorization matrix", async () => {
  const owner = await provider("pub-matrix", "enterprise"); // its ~60 requests stay under the requests/min limit
  const reviewer = await admin();
  const stranger = await provider("pub-matrix-stranger");
  const member = await createUser("pub-matrix-member");
  await joinWorkspace(member.user.id, owner.workspace.id, "MEMBER");
  const memberCookie = await sessionCookie(member.user.id, owner.workspace.id);
  const { secret } = await createApiKey(owner.principal, { name: "publishing" });
  const slug = unique("matrix");
  const body = manifest(slug);
  await create(owner.cookie, body);
  const params = { slug, version: "1.0.0" };
  const routes: [string, Parameters<typeof callRoute>[0], string, Record<string, string>, string | undefined][] = [
    ["GET /provider/packages", packagesRoute.GET, "GET", {}, undefined],
    ["POST /provider/packages", packagesRoute.POST, "POST", {}, JSON.stringify(manifest(unique("matrix-new")))],
    ["GET …/versions/:version", versionRoute.GET, "GET", params, undefined],
    ["PUT …/versions/:version", versionRoute.PUT, "PUT", params, JSON.stringify(body)],
    ["POST …/validate", validateRoute.POST, "POST", params, "{}"],
    ["POST …/submit", submitRoute.POST, "POST", params, "{}"],
    ["POST …/yank", yankRoute.POST, "POST", params, JSON.stringify({ reason: "Testing who may yank." })],
    ["GET …/price-changes", priceChangesRoute.GET, "GET", { slug }, undefined],
    ["POST …/price-changes", priceChangesRoute.POST, "POST", { slug }, JSON.stringify({ baseFeeMicros: 1 })],
    ["DELETE …/price-changes/:id", priceChangeRoute.DELETE, "DELETE", { slug, id: "no-such-change" }, undefined],
    ["GET /provider/runs", providerRunsRoute.GET, "GET", {}, undefined],
  ];
  for (const [name, handler, method, p, payload] of routes) {
    it(`${name}: anonymous 401, a member 403, an API key 403, another provider's owner sees nothing, the owner is allowed`, async () => {
      const call = (headers: Record<string, string>) => callRoute(handler, { method, path: "/api/v1/provider/x", params: p, body: payload, headers });
      expect((await call({})).status).toBe(401);
      expect((await call({ cookie: memberCookie })).status).toBe(403);
      expect((await call({ authorization: `Bearer ${secret}` })).status).toBe(403);
      const strangers = await call({ cookie: stranger.cookie });
      if (method === "GET" && !("slug" in p)) expect(JSON.stringify(strangers.body)).not.toContain(slug);
      else if (name === "POST /provider/packages") expect(strangers.status).toBe(201); // their own new package
      else expect(strangers.status, `${name} → ${JSON.stringify(strangers.body)}`).toBe(404);
      const allowed = await call({ cookie: owner.cookie });
      expect([200, 201, 404, 409], `${name} → ${allowed.status} ${JSON.stringify(allowed.body)}`).toContain(allowed.status);
      if (method === "GET") expect(allowed.status).toBe(200);
    });
  }
  it("admin routes: a provider owner is refused (403), the admin allowed", async () => {
    expect((await callRoute(reviewsRoute.GET, as(owner.cookie))).status).toBe(403);
    expect((await review(approveRoute, owner.cookie, "x")).status).toBe(403);
    expect((await callRoute(reviewsRoute.GET, as(reviewer.cookie))).status).toBe(200);
    expect((await getVersion(reviewer.cookie, slug, "1.0.0")).status).toBe(404); // an admin is no provider of this package
  });
});
