import { randomUUID } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import * as auditRoute from "@/app/api/v1/admin/audit/route";
import * as ledgerCheckRoute from "@/app/api/v1/admin/health/ledger/route";
import * as modelPriceRoute from "@/app/api/v1/admin/model-prices/[model]/route";
import * as modelPricesRoute from "@/app/api/v1/admin/model-prices/route";
import * as overviewRoute from "@/app/api/v1/admin/overview/route";
import * as packageRoute from "@/app/api/v1/admin/packages/[id]/route";
import * as packagesRoute from "@/app/api/v1/admin/packages/route";
import * as providersRoute from "@/app/api/v1/admin/providers/route";
import * as refundRoute from "@/app/api/v1/admin/runs/[id]/refund/route";
import * as runRoute from "@/app/api/v1/admin/runs/[id]/route";
import * as runsRoute from "@/app/api/v1/admin/runs/route";
import * as tierRoute from "@/app/api/v1/admin/tiers/[code]/route";
import * as tiersRoute from "@/app/api/v1/admin/tiers/route";
import * as userRoute from "@/app/api/v1/admin/users/[id]/route";
import * as usersRoute from "@/app/api/v1/admin/users/route";
import * as keyRoute from "@/app/api/v1/admin/workspaces/[id]/keys/[keyId]/route";
import * as ledgerRoute from "@/app/api/v1/admin/workspaces/[id]/ledger/route";
import * as workspaceRoute from "@/app/api/v1/admin/workspaces/[id]/route";
import * as workspacesRoute from "@/app/api/v1/admin/workspaces/route";
import { createApiKey } from "@/lib/api-keys/api-keys";
import { getDb } from "@/lib/db/client";
import { callRoute, sessionCookie } from "../helpers/call-route";
import { createUser } from "../helpers/factories";
import { expectLedgerInvariantsAfterEach } from "../helpers/lifecycle";
import { createProvider, thirdPartyPackage } from "../helpers/market";
import { runToEnd, testExecutor } from "../helpers/run-harness";

// Every admin route's success answer, with data in it, through the route: while
// tests run the wrapper checks each success body against the route's declared
// `response` schema (a mismatch is a 500 naming the paths), so these calls keep
// the API description of the admin API true. The routes other tests already
// call with data (disputes, reviews, review reports, health, jobs, credits,
// providers/:id, refunds) are checked there.

const db = getDb();
expectLedgerInvariantsAfterEach();

async function anAdmin() {
  const a = await createUser("responses-admin");
  await db.user.update({ where: { id: a.user.id }, data: { isAdmin: true } });
  return { ...a, cookie: await sessionCookie(a.user.id) };
}

type Route = Parameters<typeof callRoute>[0];
type Answer = Record<string, unknown> & { data: Record<string, unknown>[]; nextCursor?: string | null };

/** A 200 from an admin route, its body (checked against the route's `response` by the wrapper). */
async function ok(handler: unknown, opts: { method?: string; path: string; params?: Record<string, string>; body?: object }): Promise<Answer> {
  const res = await callRoute(handler as Route, { ...opts, body: opts.body && JSON.stringify(opts.body), headers: { cookie: admin.cookie } });
  expect(res.status, `${opts.method ?? "GET"} ${opts.path} → ${res.status} ${JSON.stringify(res.body)}`).toBe(200);
  return res.body as unknown as Answer;
}

let admin: Awaited<ReturnType<typeof anAdmin>>;

describe("admin responses match their documented schemas", () => {
  beforeAll(async () => {
    admin = await anAdmin();
  });

  it("a workspace with a run: search, detail, edits, keys, ledger, runs, the run, its refund, the audit log and the overview", async () => {
    const owner = await createUser("responses-owner", { tier: "pro" });
    const key = await createApiKey(owner.principal, { name: "revoked by an admin" });
    const { run } = await runToEnd(testExecutor(), owner.principal);
    expect(run.status).toBe("SUCCEEDED");
    const ws = `/api/v1/admin/workspaces/${owner.workspace.id}`;

    const found = await ok(workspacesRoute.GET, { path: `/api/v1/admin/workspaces?q=${owner.workspace.slug}` });
    expect(found.data.map((w) => w.id)).toContain(owner.workspace.id);
    const detail = await ok(workspaceRoute.GET, { path: ws, params: { id: owner.workspace.id } });
    expect(detail).toMatchObject({ id: owner.workspace.id, tier: "pro", suspended: null });
    expect((detail.runs as { id: string }[]).map((r) => r.id)).toEqual([run.id]);
    const edited = await ok(workspaceRoute.PATCH, { method: "PATCH", path: ws, params: { id: owner.workspace.id }, body: { monthlySpendCapMicros: 50_000_000, suspend: { reason: "checking the schema" } } });
    expect(edited).toMatchObject({ monthlySpendCapMicros: 50_000_000, suspended: { reason: "checking the schema" } });
    const revoked = await ok(keyRoute.DELETE, { method: "DELETE", path: `${ws}/keys/${key.id}`, params: { id: owner.workspace.id, keyId: key.id } });
    expect((revoked.keys as { id: string; revokedAt: string | null }[]).find((k) => k.id === key.id)?.revokedAt).toEqual(expect.any(String));

    const runs = await ok(runsRoute.GET, { path: `/api/v1/admin/runs?workspace=${owner.workspace.slug}` });
    expect(runs.data).toMatchObject([{ id: run.id, workspace: { id: owner.workspace.id } }]);
    const refund = await ok(refundRoute.POST, { method: "POST", path: `/api/v1/admin/runs/${run.id}/refund`, params: { id: run.id }, body: { reason: "checking the schema" } });
    expect(refund).toEqual({ refundedMicros: Number(run.priceMicros), share: "none" });
    const one = await ok(runRoute.GET, { path: `/api/v1/admin/runs/${run.id}`, params: { id: run.id } });
    expect(one).toMatchObject({ id: run.id, refunded: true, split: null });
    expect((one.events as unknown[]).length).toBeGreaterThan(0);
    expect((one.transfers as { reason: string }[]).map((t) => t.reason)).toContain("refund");

    const ledger = await ok(ledgerRoute.GET, { path: `${ws}/ledger`, params: { id: owner.workspace.id } });
    expect(ledger.data.map((m) => m.reason)).toEqual(expect.arrayContaining(["run_charge", "refund"]));
    const audit = await ok(auditRoute.GET, { path: `/api/v1/admin/audit?workspace=${owner.workspace.id}` });
    expect(audit.data.map((a) => a.action)).toEqual(expect.arrayContaining(["admin.workspace.suspended", "admin.api_key.revoked", "admin.run.refunded"]));
    const overview = await ok(overviewRoute.GET, { path: "/api/v1/admin/overview" });
    expect((overview.windows as { runs: number }[])[0]!.runs).toBeGreaterThanOrEqual(1);
    expect((overview.perDay as unknown[]).length).toBeGreaterThan(0);
    expect(await ok(ledgerCheckRoute.POST, { method: "POST", path: "/api/v1/admin/health/ledger" })).toMatchObject({ ok: true, violations: [] });
  });

  it("users: search and disable", async () => {
    const u = await createUser("responses-user");
    const found = await ok(usersRoute.GET, { path: `/api/v1/admin/users?q=${encodeURIComponent(u.email)}` });
    expect(found.data).toMatchObject([{ id: u.user.id, disabled: false, workspaces: 1 }]);
    const disabled = await ok(userRoute.PATCH, { method: "PATCH", path: `/api/v1/admin/users/${u.user.id}`, params: { id: u.user.id }, body: { disabled: true } });
    expect(disabled).toMatchObject({ id: u.user.id, disabled: true, isAdmin: false });
  });

  it("catalog: packages, providers, tiers and model prices, listed and edited", async () => {
    const { provider } = await createProvider("responses-provider");
    const pkg = await thirdPartyPackage(provider.id, 20_000n);
    const packages = await ok(packagesRoute.GET, { path: "/api/v1/admin/packages" });
    expect(packages.data.map((p) => p.id)).toContain(pkg.id);
    const suspended = await ok(packageRoute.PATCH, { method: "PATCH", path: `/api/v1/admin/packages/${pkg.id}`, params: { id: pkg.id }, body: { baseFeeMicros: 30_000, status: "SUSPENDED", suspendedReason: "checking the schema" } });
    expect(suspended).toMatchObject({ id: pkg.id, baseFeeMicros: 30_000, status: "SUSPENDED", adminEdited: true, successRate: null });
    const providers = await ok(providersRoute.GET, { path: "/api/v1/admin/providers" });
    expect(providers.data.find((p) => p.id === provider.id)).toMatchObject({ packageVersions: 1, platformFeeBps: null });

    // A tier and a model price of this test's own: listed, edited, then removed.
    const code = `schema-${randomUUID().slice(0, 8)}`;
    const model = `schema-model-${randomUUID().slice(0, 8)}`;
    await db.tier.create({ data: { code, name: "Schema", monthlyPriceMicros: null, includedCreditsMicros: 5_000_000n, requestsPerMinute: 60, runsPerHour: 100, concurrentRuns: 2, tokensPerDay: 1_000_000n, priceMultiplierBps: 15_000, sortOrder: 1_000 } });
    await db.modelPrice.create({ data: { model, displayName: "Schema model", inputMicrosPerMTok: 1_000_000n, outputMicrosPerMTok: 5_000_000n, cacheWriteMicrosPerMTok: 1_250_000n, cacheReadMicrosPerMTok: 100_000n } });
    try {
      const tiers = await ok(tiersRoute.GET, { path: "/api/v1/admin/tiers" });
      expect(tiers.data.find((t) => t.code === code)).toMatchObject({ monthlyPriceMicros: null, tokensPerDay: 1_000_000 });
      const tier = await ok(tierRoute.PATCH, { method: "PATCH", path: `/api/v1/admin/tiers/${code}`, params: { code }, body: { monthlyPriceMicros: 9_000_000, runsPerHour: 200 } });
      expect(tier).toMatchObject({ code, monthlyPriceMicros: 9_000_000, runsPerHour: 200 });
      const prices = await ok(modelPricesRoute.GET, { path: "/api/v1/admin/model-prices" });
      expect(prices.data.find((p) => p.model === model)).toMatchObject({ outputMicrosPerMTok: 5_000_000 });
      const price = await ok(modelPriceRoute.PATCH, { method: "PATCH", path: `/api/v1/admin/model-prices/${model}`, params: { model }, body: { inputMicrosPerMTok: 2_000_000 } });
      expect(price).toEqual({ model, displayName: "Schema model", inputMicrosPerMTok: 2_000_000, outputMicrosPerMTok: 5_000_000, cacheWriteMicrosPerMTok: 1_250_000, cacheReadMicrosPerMTok: 100_000 });
    } finally {
      await db.tier.delete({ where: { code } });
      await db.modelPrice.delete({ where: { model } });
    }
  });
});
