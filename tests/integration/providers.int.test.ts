import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import * as agentsRoute from "@/app/api/v1/agents/route";
import * as agentRoute from "@/app/api/v1/agents/[slug]/route";
import * as adminProviderRoute from "@/app/api/v1/admin/providers/[id]/route";
import * as providerRoute from "@/app/api/v1/provider/route";
import * as logoRoute from "@/app/api/v1/provider/logo/route";
import * as publicProviderRoute from "@/app/api/v1/providers/[slug]/route";
import * as publicLogoRoute from "@/app/api/v1/providers/[slug]/logo/route";
import { createApiKey } from "@/lib/api-keys/api-keys";
import { builtInPackages } from "@/lib/agents/registry";
import { getDb } from "@/lib/db/client";
import { callRoute, sessionCookie } from "../helpers/call-route";
import { createUser, joinWorkspace } from "../helpers/factories";

// Providers (issue 19, items 1 and 8): the profile API with its validation,
// conflicts, logo checks and authorization; the public page's data; the
// catalog's provider on cards and its provider filter; the admin's badge.

const db = getDb();
const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, ...Buffer.from("rest of a png")]);
const WEBP = Buffer.concat([Buffer.from("RIFF"), Buffer.from([0x10, 0, 0, 0]), Buffer.from("WEBPVP8 rest")]);
const uniqueSlug = (label: string) => `${label}-${randomUUID().slice(0, 8)}`;
const profile = (slug: string, extra: Record<string, unknown> = {}) => JSON.stringify({ name: "Acme Labs", slug, description: "We build **agents**.", supportUrl: "https://acme.example/support", ...extra });

async function owner(label: string) {
  const u = await createUser(label);
  return { ...u, cookie: await sessionCookie(u.user.id, u.workspace.id) };
}
const put = (cookie: string | undefined, body: string) => callRoute(providerRoute.PUT, { method: "PUT", path: "/api/v1/provider", body, headers: cookie ? { cookie } : {} });
function putLogo(cookie: string | undefined, file: Buffer | null, name = "logo.png", type = "image/png") {
  const form = new FormData();
  if (file) form.set("logo", new File([new Uint8Array(file)], name, { type }));
  return callRoute(logoRoute.PUT, { method: "PUT", path: "/api/v1/provider/logo", body: form, headers: cookie ? { cookie } : {} });
}
const issuePaths = (res: Awaited<ReturnType<typeof put>>) => res.body?.error.details.issues.map((i) => i.path);

describe("provider profile API", () => {
  it("creates and edits the workspace's profile, audit-logged; GET reads it back", async () => {
    const a = await owner("prov-owner");
    expect((await callRoute(providerRoute.GET, { headers: { cookie: a.cookie } })).body).toEqual({ provider: null });
    const slug = uniqueSlug("acme");
    const created = await put(a.cookie, profile(slug.toUpperCase(), { supportEmail: "help@acme.example" }));
    expect(created.status).toBe(200);
    expect(created.body).toMatchObject({ provider: { slug, name: "Acme Labs", supportEmail: "help@acme.example", verified: false, logoUrl: null } });

    const renamed = uniqueSlug("acme-two");
    const edited = await put(a.cookie, profile(renamed, { name: "Acme Two", supportUrl: "", supportEmail: "help@acme.example" }));
    expect(edited.body).toMatchObject({ provider: { slug: renamed, name: "Acme Two", supportUrl: null } });
    expect(await db.provider.count({ where: { workspaceId: a.workspace.id } })).toBe(1);
    expect((await callRoute(providerRoute.GET, { headers: { cookie: a.cookie } })).body).toMatchObject({ provider: { slug: renamed } });
    expect(await db.auditLog.findMany({ where: { workspaceId: a.workspace.id, action: { startsWith: "provider." } }, select: { action: true }, orderBy: { createdAt: "asc" } })).toEqual([
      { action: "provider.created" },
      { action: "provider.updated" },
    ]);
  });

  it("refuses bad input with 400s naming each field, and writes nothing", async () => {
    const a = await owner("prov-invalid");
    const bad = await put(a.cookie, JSON.stringify({ name: "A", slug: "no", supportUrl: "http://acme.example", supportEmail: "not-an-address", description: "x".repeat(5_001) }));
    expect(bad.status).toBe(400);
    expect(bad.body?.error.code).toBe("validation_failed");
    expect(issuePaths(bad)).toEqual(expect.arrayContaining(["name", "slug", "supportUrl", "supportEmail", "description"]));
    for (const [slug, field] of [["agora", "slug"], ["admin", "slug"], ["has space", "slug"], ["-leading", "slug"], ["x".repeat(41), "slug"]] as const) {
      const res = await put(a.cookie, profile(slug));
      expect(res.status, slug).toBe(400);
      expect(issuePaths(res), slug).toEqual([field]);
    }
    const noSupport = await put(a.cookie, profile(uniqueSlug("nosupport"), { supportUrl: null }));
    expect(noSupport.status).toBe(400);
    expect(issuePaths(noSupport)).toEqual(["supportUrl"]);
    expect(await db.provider.count({ where: { workspaceId: a.workspace.id } })).toBe(0);
  });

  it("a slug another provider has is a 409 naming the slug; the loser's profile stays as it was", async () => {
    const a = await owner("prov-first");
    const b = await owner("prov-second");
    const slug = uniqueSlug("taken");
    expect((await put(a.cookie, profile(slug))).status).toBe(200);
    const refused = await put(b.cookie, profile(slug, { name: "Copycat" }));
    expect(refused.status).toBe(409);
    expect(issuePaths(refused)).toEqual(["slug"]);
    expect(await db.provider.count({ where: { workspaceId: b.workspace.id } })).toBe(0);

    const own = uniqueSlug("own");
    expect((await put(b.cookie, profile(own))).status).toBe(200);
    expect((await put(b.cookie, profile(slug, { name: "Renamed" }))).status).toBe(409);
    expect(await db.provider.findUniqueOrThrow({ where: { workspaceId: b.workspace.id } })).toMatchObject({ slug: own, name: "Acme Labs" });
    // Both saving the same new slug at once: exactly one gets it.
    const race = uniqueSlug("race");
    const results = await Promise.all([put(a.cookie, profile(race)), put(b.cookie, profile(race))]);
    expect(results.map((r) => r.status).sort()).toEqual([200, 409]);
    expect(await db.provider.count({ where: { slug: race } })).toBe(1);
  });

  it("authorization: anonymous 401, a member 403, an API key 403; another workspace's owner only ever edits its own", async () => {
    const a = await owner("prov-authz");
    const slug = uniqueSlug("authz");
    expect((await put(a.cookie, profile(slug))).status).toBe(200);

    expect((await callRoute(providerRoute.GET)).status).toBe(401);
    expect((await put(undefined, profile(slug))).status).toBe(401);
    expect((await putLogo(undefined, PNG)).status).toBe(401);

    const m = await createUser("prov-member");
    await joinWorkspace(m.user.id, a.workspace.id, "MEMBER");
    const memberCookie = await sessionCookie(m.user.id, a.workspace.id);
    expect((await callRoute(providerRoute.GET, { headers: { cookie: memberCookie } })).body).toMatchObject({ provider: { slug } });
    const asMember = await put(memberCookie, profile(slug, { name: "Hijacked" }));
    expect(asMember.status).toBe(403);
    expect((await putLogo(memberCookie, PNG)).status).toBe(403);

    const { secret } = await createApiKey(a.principal, { name: "provider test" });
    expect((await callRoute(providerRoute.PUT, { method: "PUT", body: profile(slug), headers: { authorization: `Bearer ${secret}` } })).status).toBe(403);

    // The other owner's PUT, even with this workspace's cookie id it is not a member of, writes its own profile.
    const b = await createUser("prov-intruder");
    const intruder = await sessionCookie(b.user.id, a.workspace.id);
    const res = await put(intruder, profile(uniqueSlug("intruder"), { name: "Intruder" }));
    expect(res.status).toBe(200);
    expect(await db.provider.findUniqueOrThrow({ where: { workspaceId: a.workspace.id } })).toMatchObject({ slug, name: "Acme Labs", logo: null });
    expect(await db.provider.findUniqueOrThrow({ where: { workspaceId: b.workspace.id } })).toMatchObject({ name: "Intruder" });
  });

  it("logo: PNG/JPEG/WebP by their bytes, ≤ 256 KB; served with its type, cache headers and nosniff", async () => {
    const a = await owner("prov-logo");
    expect((await putLogo(a.cookie, PNG)).status).toBe(409); // no profile yet
    const slug = uniqueSlug("logo");
    await put(a.cookie, profile(slug));

    const disguised = await putLogo(a.cookie, Buffer.from("<svg onload=alert(1)></svg>"), "logo.png", "image/png");
    expect(disguised.status).toBe(415);
    expect(issuePaths(disguised)).toEqual(["logo"]);
    expect((await putLogo(a.cookie, Buffer.concat([PNG, Buffer.alloc(256 * 1024)]))).status).toBe(413);
    const missing = await putLogo(a.cookie, null);
    expect(missing.status).toBe(400);
    expect(issuePaths(missing)).toEqual(["logo"]);
    expect((await db.provider.findUniqueOrThrow({ where: { slug } })).logo).toBeNull();

    const saved = await putLogo(a.cookie, WEBP, "logo.bin", "application/octet-stream");
    expect(saved.status).toBe(200);
    const logoUrl = (saved.body as unknown as { provider: { logoUrl: string } }).provider.logoUrl;
    expect(logoUrl).toMatch(new RegExp(`^/api/v1/providers/${slug}/logo\\?v=\\d+$`));

    const served = await publicLogoRoute.GET(new (await import("next/server")).NextRequest(`http://127.0.0.1:3999${logoUrl}`), { params: Promise.resolve({ slug }) });
    expect(served.status).toBe(200);
    expect(served.headers.get("content-type")).toBe("image/webp");
    expect(served.headers.get("x-content-type-options")).toBe("nosniff");
    expect(served.headers.get("cache-control")).toMatch(/^public, max-age=\d+/);
    expect(Buffer.from(await served.arrayBuffer()).equals(WEBP)).toBe(true);
    const etag = served.headers.get("etag")!;
    const again = await publicLogoRoute.GET(new (await import("next/server")).NextRequest(`http://127.0.0.1:3999${logoUrl}`, { headers: { "if-none-match": etag } }), { params: Promise.resolve({ slug }) });
    expect(again.status).toBe(304);
    expect((await callRoute(publicLogoRoute.GET, { params: { slug: uniqueSlug("nobody") } })).status).toBe(404);
  });
});

describe("public provider data and the catalog", () => {
  async function publishedPackageOf(providerId: string, slug: string) {
    const base = await db.agentPackage.findFirstOrThrow({ where: { status: "PUBLISHED", slug: builtInPackages[0]!.slug } });
    const { id: _i, createdAt: _c, updatedAt: _u, inputSchema, outputSchema, exampleInput, manifest: _m, agentCard: _a, bidPolicy: _b, ...rest } = base;
    const pkg = await db.agentPackage.create({ data: { ...rest, slug, name: `Widget ${slug}`, providerId, ownerWorkspaceId: null, runCount: 4, successCount: 3, inputSchema: inputSchema as object, outputSchema: outputSchema as object, exampleInput: exampleInput as object } });
    await db.packageStats.create({ data: { slug, runsTotal: 4, succeededTotal: 3 } }); // the catalog card's runs and success rate (issue 20)
    return pkg;
  }

  it("the Agora provider is verified and publishes the ten built-ins, with their stats", async () => {
    const res = await callRoute(publicProviderRoute.GET, { params: { slug: "agora" } });
    expect(res.status).toBe(200);
    const agora = res.body as unknown as { name: string; verified: boolean; packages: { slug: string; runs: number; provider: unknown }[] };
    expect(agora).toMatchObject({ name: "Agora", verified: true });
    expect(agora.packages.map((p) => p.slug).sort()).toEqual(expect.arrayContaining(builtInPackages.map((p) => p.slug).sort()));
    for (const p of agora.packages) expect(p).toMatchObject({ provider: { slug: "agora", name: "Agora", verified: true }, runs: expect.any(Number) });
    expect(await db.agentPackage.count({ where: { slug: { in: builtInPackages.map((p) => p.slug) }, OR: [{ providerId: null }, { provider: { slug: { not: "agora" } } }] } })).toBe(0);
    expect((await callRoute(publicProviderRoute.GET, { params: { slug: uniqueSlug("unknown") } })).status).toBe(404);
  });

  it("a new provider's page has no packages; one published shows on its page, in the catalog filter, on cards and the agent page", async () => {
    const a = await owner("prov-catalog");
    const slug = uniqueSlug("catalog");
    const { body } = await put(a.cookie, profile(slug));
    const providerId = (body as unknown as { provider: { id: string } }).provider.id;
    expect((await callRoute(publicProviderRoute.GET, { params: { slug } })).body).toMatchObject({ slug, verified: false, packages: [] });
    expect((await callRoute(agentsRoute.GET, { path: `/api/v1/agents?provider=${slug}` })).body).toMatchObject({ data: [] });

    const pkgSlug = uniqueSlug("widget");
    await publishedPackageOf(providerId, pkgSlug);
    const page = (await callRoute(publicProviderRoute.GET, { params: { slug } })).body as unknown as { packages: { slug: string; runs: number; successRate: number }[] };
    expect(page.packages).toEqual([expect.objectContaining({ slug: pkgSlug, runs: 4, successRate: 0.75 })]);

    const filtered = await callRoute(agentsRoute.GET, { path: `/api/v1/agents?provider=${slug}` });
    const cards = (filtered.body as unknown as { data: { slug: string; provider: unknown }[]; facets: { categories: { count: number }[] } }).data;
    expect(cards).toEqual([expect.objectContaining({ slug: pkgSlug, provider: { slug, name: "Acme Labs", verified: false } })]);
    expect((filtered.body as unknown as { facets: { categories: { count: number }[] } }).facets.categories.reduce((n, c) => n + c.count, 0)).toBe(1);
    const agoraOnly = (await callRoute(agentsRoute.GET, { path: "/api/v1/agents?provider=agora&limit=50" })).body as unknown as { data: { slug: string }[] };
    expect(agoraOnly.data.map((c) => c.slug)).not.toContain(pkgSlug);

    // The admin's badge shows on the card and the agent page at once (nothing caches provider fields).
    const admin = await createUser("prov-admin");
    await db.user.update({ where: { id: admin.user.id }, data: { isAdmin: true } });
    const patch = (verified: unknown) => callRoute(adminProviderRoute.PATCH, { method: "PATCH", params: { id: providerId }, body: JSON.stringify({ verified }), headers: { cookie: a.cookie } });
    expect((await patch(true)).status).toBe(403); // the provider's own owner cannot verify itself
    const verify = await callRoute(adminProviderRoute.PATCH, { method: "PATCH", params: { id: providerId }, body: JSON.stringify({ verified: true }), headers: { cookie: await sessionCookie(admin.user.id) } });
    expect(verify.status).toBe(200);
    expect(verify.body).toMatchObject({ slug, verified: true });
    expect(await db.auditLog.findFirst({ where: { action: "admin.provider.verified", target: providerId }, select: { actorUserId: true, metadata: true } })).toMatchObject({
      actorUserId: admin.user.id,
      metadata: { before: { verified: false }, changes: { verified: true } },
    });
    expect((await callRoute(agentRoute.GET, { params: { slug: pkgSlug } })).body).toMatchObject({ provider: { slug, name: "Acme Labs", verified: true } });
    expect((await callRoute(agentsRoute.GET, { path: `/api/v1/agents?provider=${slug}` })).body).toMatchObject({ data: [{ provider: { verified: true } }] });
  });
});
