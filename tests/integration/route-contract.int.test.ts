import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { NextRequest } from "next/server";
import { describe, expect, it } from "vitest";
import { getDb } from "@/lib/db/client";
import { encodeCursor } from "@/lib/http/cursor";
import { sessionCookie } from "../helpers/call-route";
import { createUser } from "../helpers/factories";

// The route contract (issue 14), from the file system so a new route cannot be
// forgotten: a NUL byte in any path param, in any query value, in a cursor (raw
// or encoded), a garbage cursor and an out-of-range date filter are each a 400
// naming the field — never a 500. The caller is a platform admin who owns their
// workspace, so every route's permission lets the request reach its validation.

const apiDir = path.join(process.cwd(), "app", "api");
const METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"] as const;
type Handler = (req: NextRequest, ctx: { params: Promise<Record<string, string | string[]>> }) => Promise<Response>;
type ErrorJson = { error?: { code: string; message: string; details?: { issues?: { path: string }[] } } };

const files = (dir: string): string[] =>
  existsSync(dir) ? readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(path.join(dir, e.name)) : e.name === "route.ts" ? [path.join(dir, e.name)] : [])) : [];

// Route files built on route() (next-auth, the webhook, metrics and the probes have their own contracts).
const routes = files(apiDir)
  .filter((file) => /\broute\(/.test(readFileSync(file, "utf8")))
  .map((file) => ({ file, template: "/api/" + path.relative(apiDir, path.dirname(file)).split(path.sep).join("/") }));
const segments = (template: string) => [...template.matchAll(/\[(\.\.\.)?(\w+)\]/g)].map((m) => ({ name: m[2]!, catchAll: Boolean(m[1]) }));

async function handlers(file: string) {
  const mod = (await import(file)) as Record<string, unknown>;
  return METHODS.filter((m) => typeof mod[m] === "function").map((method) => ({ method, handler: mod[method] as Handler }));
}

async function call(handler: Handler, method: string, url: string, params: Record<string, string | string[]>, cookie: string) {
  const body = method === "GET" || method === "DELETE" ? undefined : "{}";
  const req = new NextRequest(`http://127.0.0.1:3999${url}`, { method, headers: { cookie, "content-type": "application/json" }, body });
  const res = await handler(req, { params: Promise.resolve(params) });
  const text = res.headers.get("content-type")?.includes("json") ? await res.text() : (await res.body?.cancel(), "");
  return { status: res.status, body: (text ? JSON.parse(text) : {}) as ErrorJson & { nextCursor?: unknown } };
}

/** A platform admin owning a fresh workspace: every permission passes, so validation is what answers. */
async function admin(label: string) {
  const u = await createUser(label, { tier: "enterprise" });
  await getDb().user.update({ where: { id: u.user.id }, data: { isAdmin: true } });
  return { ...u, cookie: await sessionCookie(u.user.id) };
}

const issuePaths = (body: ErrorJson) => (body.error?.details?.issues ?? []).map((i) => i.path);

function expectRefused(res: Awaited<ReturnType<typeof call>>, field: string, what: string) {
  expect(res.status, `${what} → ${res.status} ${JSON.stringify(res.body)}`).toBe(400);
  expect(res.body.error?.code, what).toBe("validation_failed");
  expect(issuePaths(res.body), `${what}: the error names ${field}`).toContain(field);
}

describe("route contract: path params", () => {
  const dynamic = routes.filter((r) => segments(r.template).some((s) => !s.catchAll));
  it("finds the routes with an id or slug in their path", () => {
    expect(dynamic.length).toBeGreaterThanOrEqual(15);
  });

  for (const { file, template } of dynamic) {
    it(`${template}: a NUL byte or a control character in each path param is a 400 naming it`, async () => {
      const { cookie } = await admin("contract-params");
      const named = segments(template).filter((s) => !s.catchAll);
      for (const { method, handler } of await handlers(file)) {
        for (const target of named) {
          for (const bad of ["\u0000", "a\u0000b", "x\u001fy"]) {
            const params = Object.fromEntries(named.map((s) => [s.name, s.name === target.name ? bad : "plausible-id"]));
            const url = template.replace(/\[(\w+)\]/g, (_, name: string) => encodeURIComponent(params[name]!));
            expectRefused(await call(handler, method, url, params, cookie), target.name, `${method} ${template} with ${target.name}=${JSON.stringify(bad)}`);
          }
        }
      }
    });
  }
});

describe("route contract: query strings", () => {
  for (const { file, template } of routes) {
    it(`${template}: a NUL byte in any query value is a 400 naming the parameter`, async () => {
      const { cookie, workspace } = await admin("contract-query");
      const params = Object.fromEntries(segments(template).map((s) => [s.name, s.catchAll ? ["x"] : workspace.id]));
      for (const { method, handler } of await handlers(file)) {
        const res = await call(handler, method, `${template.replace(/\[(\.\.\.)?\w+\]/g, "x")}?probe=%00&limit=5`, params, cookie);
        expectRefused(res, "probe", `${method} ${template}?probe=%00`);
      }
    });
  }
});

describe("route contract: list routes and their cursors", async () => {
  const { cookie, workspace } = await admin("contract-lists");
  // A list route is one whose GET answers with a nextCursor: found by calling each, not by a hand-kept list.
  const lists: { template: string; handler: Handler; params: Record<string, string> }[] = [];
  for (const { file, template } of routes.filter((r) => !r.template.includes("[..."))) {
    const get = (await handlers(file)).find((h) => h.method === "GET");
    if (!get || template.endsWith("/events")) continue; // the events stream of a real run would stay open
    const params = Object.fromEntries(segments(template).map((s) => [s.name, workspace.id]));
    const res = await call(get.handler, "GET", template, params, cookie);
    if (res.status === 200 && "nextCursor" in res.body) lists.push({ template, handler: get.handler, params });
  }

  it("finds every list route (runs, documents, ledger, catalog and the admin lists)", () => {
    expect(lists.map((l) => l.template).sort()).toEqual(
      expect.arrayContaining(["/api/v1/admin/audit", "/api/v1/admin/runs", "/api/v1/admin/users", "/api/v1/admin/workspaces", "/api/v1/admin/workspaces/[id]/ledger", "/api/v1/agents", "/api/v1/billing/ledger", "/api/v1/documents", "/api/v1/runs"]),
    );
  });

  const badCursors = {
    "a raw NUL": "%00",
    garbage: "garbage!!",
    "base64 of nothing useful": "AAAA",
    "NUL in the id": encodeCursor(["2026-01-01T00:00:00.000Z", "\u0000"]),
    "NUL in the sort value": encodeCursor(["\u0000", "some-slug"]),
    "a date before year 0": encodeCursor(["-100000-01-01T00:00:00.000Z", "x"]),
    "a date past year 9999": encodeCursor(["+275760-09-13T00:00:00.000Z", "x"]),
    "the wrong shape": encodeCursor([1, 2, 3]),
  };
  for (const [what, cursor] of Object.entries(badCursors)) {
    it(`a cursor with ${what} is a 400 "The cursor is not valid" on every list route`, async () => {
      for (const { template, handler, params } of lists) {
        const res = await call(handler, "GET", `${template.replace(/\[\w+\]/g, "x")}?cursor=${cursor}`, params, cookie);
        expectRefused(res, "cursor", `${template} cursor ${what}`);
      }
    });
  }

  it("a catalog cursor whose sort value is not a finite number is a 400", async () => {
    const agents = lists.find((l) => l.template === "/api/v1/agents")!;
    const infinite = Buffer.from('[1e400,"some-slug"]').toString("base64url"); // JSON.parse reads Infinity
    expectRefused(await call(agents.handler, "GET", `/api/v1/agents?sort=popular&cursor=${infinite}`, {}, cookie), "cursor", "catalog cursor with an infinite sort value");
  });

  it("a limit out of range is a 400 naming limit on every list route", async () => {
    for (const { template, handler, params } of lists) {
      for (const limit of ["0", "1001", "abc", "2.5"]) expectRefused(await call(handler, "GET", `${template}?limit=${limit}`, params, cookie), "limit", `${template}?limit=${limit}`);
    }
  });
});

describe("route contract: date filters", async () => {
  const { cookie } = await admin("contract-dates");
  const dated = ["/api/v1/runs", "/api/v1/admin/runs", "/api/v1/admin/audit", "/api/v1/usage/summary", "/api/v1/usage/daily", "/api/v1/usage/export.csv"];
  const outOfRange = ["-100000-01-01", "9999-99-99", "2026-02-30", "1999-12-31", "+275760-09-13", "10000-01-01", "2026-13-01", "yesterday"];

  for (const template of dated) {
    it(`${template}: from and to outside real dates of years 2000–9999 are a 400 naming the field`, async () => {
      const get = (await handlers(path.join(apiDir, template.replace("/api/", ""), "route.ts"))).find((h) => h.method === "GET")!;
      for (const field of ["from", "to"]) {
        for (const day of outOfRange) expectRefused(await call(get.handler, "GET", `${template}?${field}=${encodeURIComponent(day)}`, {}, cookie), field, `${template}?${field}=${day}`);
      }
      const fine = await call(get.handler, "GET", `${template}?from=2026-01-01&to=2026-01-31`, {}, cookie);
      expect(fine.status, `${template} with a real range`).toBe(200);
    });
  }
});
