import { existsSync, readdirSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { createApiKey } from "@/lib/api-keys/api-keys";
import { getDb } from "@/lib/db/client";
import { callRoute, sessionCookie } from "../helpers/call-route";
import { createUser } from "../helpers/factories";

// The authorization matrix of the admin console (issue 7), from the file
// system so a new admin route cannot be forgotten: anonymous → 401, a member
// → 403, an API key → 403, a disabled admin → 401, an admin → allowed. Every
// request also carries `x-middleware-subrequest` (the header behind
// CVE-2025-29927): no middleware is trusted, each handler checks. Admin pages
// get the same matrix in tests/e2e/admin.spec.ts (they need the real server).

const db = getDb();
const adminApi = path.join(process.cwd(), "app", "api", "v1", "admin");
const METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"] as const;
const files = (dir: string, name: string): string[] =>
  existsSync(dir) ? readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(path.join(dir, e.name), name) : e.name === name ? [path.join(dir, e.name)] : [])) : [];

const smuggle = { "x-middleware-subrequest": "middleware:middleware:middleware:middleware:middleware" };

describe("admin authorization matrix", async () => {
  const admin = await createUser("matrix-admin");
  await db.user.update({ where: { id: admin.user.id }, data: { isAdmin: true } });
  const disabledAdmin = await createUser("matrix-disabled");
  await db.user.update({ where: { id: disabledAdmin.user.id }, data: { isAdmin: true, disabledAt: new Date() } });
  const member = await createUser("matrix-member", { tier: "enterprise" }); // its key makes ~30 requests: room under the requests/min limit
  const { secret } = await createApiKey(member.principal, { name: "matrix" });
  const revocable = await createApiKey(member.principal, { name: "revoked by the admin's DELETE" });
  const ids: Record<string, string> = { id: member.workspace.id, keyId: revocable.id, code: "enterprise", model: "offline", name: "no-such-job" };
  const callers = {
    anonymous: { headers: { ...smuggle }, expect: [401] },
    member: { headers: { ...smuggle, cookie: await sessionCookie(member.user.id) }, expect: [403] },
    apiKey: { headers: { ...smuggle, authorization: `Bearer ${secret}` }, expect: [403] },
    disabledAdmin: { headers: { ...smuggle, cookie: await sessionCookie(disabledAdmin.user.id) }, expect: [401] },
  };

  const routes = files(adminApi, "route.ts");
  it("finds the admin routes, and admin server actions are none (admin mutations are routes, covered here)", () => {
    expect(routes.length).toBeGreaterThanOrEqual(15);
    expect(files(path.join(process.cwd(), "app", "admin"), "actions.ts")).toEqual([]);
  });

  for (const file of routes) {
    const template = "/" + path.relative(adminApi, path.dirname(file)).split(path.sep).join("/");
    it(`${template}: anonymous 401, member 403, API key 403, disabled admin 401, admin allowed`, async () => {
      const mod = (await import(file)) as Record<string, unknown>;
      const params = Object.fromEntries([...template.matchAll(/\[(\w+)\]/g)].map((m) => [m[1]!, m[1] === "id" && template.startsWith("/users") ? member.user.id : m[1] === "id" && template.startsWith("/runs") ? "no-such-run" : m[1] === "id" && template.startsWith("/packages") ? "no-such-package" : ids[m[1]!]!]));
      for (const method of METHODS.filter((m) => typeof mod[m] === "function")) {
        const call = (headers: Record<string, string>) =>
          callRoute(mod[method] as never, { method, path: `/api/v1/admin${template}`, params, headers, body: method === "GET" || method === "DELETE" ? undefined : "{}" });
        for (const [who, c] of Object.entries(callers)) {
          const res = await call(c.headers);
          expect(c.expect, `${who} ${method} ${template} → ${res.status}`).toContain(res.status);
        }
        const res = await call({ ...smuggle, cookie: await sessionCookie(admin.user.id) });
        expect([200, 400, 404], `admin ${method} ${template} → ${res.status} ${JSON.stringify(res.body)}`).toContain(res.status);
      }
    });
  }
});
