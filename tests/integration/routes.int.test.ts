import { readdirSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { createApiKey, revokeApiKey } from "@/lib/api-keys/api-keys";
import * as keyRoute from "@/app/api/v1/keys/[id]/route";
import * as keysRoute from "@/app/api/v1/keys/route";
import * as meRoute from "@/app/api/v1/me/route";
import * as invitationsRoute from "@/app/api/v1/workspace/invitations/route";
import * as signupRoute from "@/app/api/v1/auth/signup/route";
import { env } from "@/lib/env";
import { PEER_HEADER } from "@/lib/http/client-ip";
import { callRoute, sessionCookie } from "../helpers/call-route";
import { createUser, joinWorkspace, uniqueEmail } from "../helpers/factories";

const apiRoot = path.join(process.cwd(), "app", "api", "v1");
const METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"] as const;

/** Route files found on disk, so a new route cannot be forgotten by this test. */
function routeFiles(dir = apiRoot): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? routeFiles(path.join(dir, e.name)) : e.name === "route.ts" ? [path.join(dir, e.name)] : [],
  );
}

// Routes that answer anonymous callers on purpose (SPEC §9: sign-up, password reset, the public catalog, providers' public pages).
const publicRoutes = new Set(["POST /auth/signup", "POST /auth/password-reset", "POST /auth/password-reset/confirm", "GET /agents", "GET /agents/[slug]", "GET /agents/[slug]/versions", "GET /agents/[slug]/reviews", "GET /providers/[slug]", "GET /providers/[slug]/logo", "GET /openapi.json", "GET /[...path]", "POST /[...path]", "PUT /[...path]", "PATCH /[...path]", "DELETE /[...path]"]);

describe("authorization on every /api/v1 route", () => {
  const files = routeFiles();

  it("finds the route files", () => {
    expect(files.length).toBeGreaterThanOrEqual(7);
  });

  for (const file of files) {
    const template = "/" + path.relative(apiRoot, path.dirname(file)).split(path.sep).join("/");
    it(`anonymous callers get 401 from ${template} (except public routes)`, async () => {
      const mod = (await import(file)) as Record<string, unknown>;
      const params = Object.fromEntries([...template.matchAll(/\[(?:\.\.\.)?(\w+)\]/g)].map((m) => [m[1]!, "x"]));
      const methods = METHODS.filter((m) => typeof mod[m] === "function");
      expect(methods.length).toBeGreaterThan(0);
      for (const method of methods) {
        const res = await callRoute(mod[method] as never, {
          method,
          path: `/api/v1${template}`,
          params,
          body: method === "GET" || method === "DELETE" ? undefined : "{}",
        });
        if (publicRoutes.has(`${method} ${template}`)) {
          expect(res.status, `${method} ${template}`).not.toBe(401);
        } else {
          expect(res.status, `${method} ${template}`).toBe(401);
          expect(res.body?.error.code).toBe("unauthenticated");
        }
        expect(res.status).toBeLessThan(500);
      }
    });
  }
});

describe("the route wrapper", () => {
  it("authenticates API keys and sessions as their workspace for GET /me", async () => {
    const { principal, user, workspace } = await createUser("me");
    const key = await createApiKey(principal, { name: "me-key" });

    const asKey = await callRoute(meRoute.GET, { headers: { authorization: `Bearer ${key.secret}` } });
    expect(asKey.status).toBe(200);
    expect(asKey.body).toMatchObject({ principal: { type: "api_key", id: key.id }, workspace: { id: workspace.id }, tier: { code: "free" } });
    // The Free tier's included $1, nothing held.
    expect(asKey.body).toMatchObject({ balance: { availableMicros: 1_000_000, postedMicros: 1_000_000, heldMicros: 0 } });
    expect(asKey.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);

    const asUser = await callRoute(meRoute.GET, { headers: { cookie: await sessionCookie(user.id) } });
    expect(asUser.body).toMatchObject({ principal: { type: "user", id: user.id, role: "OWNER" }, workspace: { id: workspace.id } });

    await revokeApiKey(principal, key.id);
    expect((await callRoute(meRoute.GET, { headers: { authorization: `Bearer ${key.secret}` } })).status).toBe(401);
    expect((await callRoute(meRoute.GET, { headers: { authorization: "Basic abc" } })).status).toBe(401);
  });

  it("answers 404 when a member asks for another workspace's key id", async () => {
    const a = await createUser("route-a");
    const b = await createUser("route-b");
    const bKey = await createApiKey(b.principal, { name: "secret-b" });
    const cookie = await sessionCookie(a.user.id);
    for (const method of ["GET", "DELETE"] as const) {
      const res = await callRoute(keyRoute[method], { method, headers: { cookie }, params: { id: bKey.id } });
      expect(res.status).toBe(404);
      expect(res.body?.error.code).toBe("not_found");
    }
  });

  it("refuses member management to a MEMBER with 403 and to API keys with 403", async () => {
    const owner = await createUser("r-owner");
    const member = await createUser("r-member");
    await joinWorkspace(member.user.id, owner.workspace.id);
    const body = JSON.stringify({ email: uniqueEmail("x"), role: "MEMBER" });
    const asMember = await callRoute(invitationsRoute.POST, { method: "POST", body, headers: { cookie: await sessionCookie(member.user.id, owner.workspace.id) } });
    expect(asMember.status).toBe(403);
    const key = await createApiKey(owner.principal, { name: "k" });
    const asKey = await callRoute(invitationsRoute.POST, { method: "POST", body, headers: { authorization: `Bearer ${key.secret}` } });
    expect(asKey.status).toBe(403);
    const asKeyCreatingKey = await callRoute(keysRoute.POST, { method: "POST", body: '{"name":"x"}', headers: { authorization: `Bearer ${key.secret}` } });
    expect(asKeyCreatingKey.status).toBe(403);
  });

  it("refuses cross-origin writes that ride on a browser session", async () => {
    const { user } = await createUser("csrf");
    const res = await callRoute(keysRoute.POST, {
      method: "POST",
      body: '{"name":"csrf"}',
      headers: { cookie: await sessionCookie(user.id), origin: "https://evil.example" },
    });
    expect(res.status).toBe(403);
  });

  it("the Origin check compares scheme and host, and trusts X-Forwarded-Host/-Proto only from a trusted proxy", async () => {
    const { user } = await createUser("csrf-forwarded");
    const cookie = await sessionCookie(user.id);
    const post = (headers: Record<string, string>) => callRoute(keysRoute.POST, { method: "POST", body: '{"name":"origin"}', headers: { cookie, host: "agora.test:3000", [PEER_HEADER]: "192.0.2.80", ...headers } });
    // A page on evil.example naming itself as the forwarded host: refused (it was let through).
    expect((await post({ origin: "https://evil.example", "x-forwarded-host": "evil.example", "x-forwarded-proto": "https" })).status).toBe(403);
    // Same host, another scheme: another origin.
    expect((await post({ origin: "https://agora.test:3000" })).status).toBe(403);
    expect((await post({ origin: "http://agora.test:3000" })).status).toBe(201);
    // Behind a configured proxy its forwarding headers name the public origin.
    const saved = env().AGORA_TRUSTED_PROXIES;
    Object.assign(env(), { AGORA_TRUSTED_PROXIES: ["192.0.2.80"] });
    try {
      expect((await post({ origin: "https://agora.example", "x-forwarded-host": "agora.example", "x-forwarded-proto": "https" })).status).toBe(201);
      expect((await post({ origin: "http://agora.test:3000", "x-forwarded-host": "agora.example", "x-forwarded-proto": "https" })).status).toBe(403);
    } finally {
      Object.assign(env(), { AGORA_TRUSTED_PROXIES: saved });
    }
  });

  it("validates sign-up: 201, 409 for a taken email, 400 naming the short password, 400 for bad JSON, 413 for huge bodies", async () => {
    const email = uniqueEmail("route-signup");
    const ok = await callRoute(signupRoute.POST, { method: "POST", body: JSON.stringify({ email, password: "long enough pw", name: "R" }) });
    expect(ok.status).toBe(201);
    expect(ok.body).toMatchObject({ user: { email }, workspace: { tier: "free" } });
    expect(JSON.stringify(ok.body)).not.toContain("passwordHash");

    const taken = await callRoute(signupRoute.POST, { method: "POST", body: JSON.stringify({ email: email.toUpperCase(), password: "long enough pw", name: "R" }) });
    expect(taken.status).toBe(409);
    expect(taken.body?.error.code).toBe("email_taken");

    const short = await callRoute(signupRoute.POST, { method: "POST", body: JSON.stringify({ email: uniqueEmail(), password: "short", name: "R" }) });
    expect(short.status).toBe(400);
    expect(short.body?.error.details.issues).toEqual([expect.objectContaining({ path: "password" })]);

    const malformed = await callRoute(signupRoute.POST, { method: "POST", body: '{"email": ' });
    expect(malformed.status).toBe(400);
    expect(malformed.body?.error.code).toBe("invalid_json");

    const huge = await callRoute(signupRoute.POST, { method: "POST", body: JSON.stringify({ email: uniqueEmail(), password: "x".repeat(2_000_000), name: "R" }) });
    expect(huge.status).toBe(413);
  });
});
