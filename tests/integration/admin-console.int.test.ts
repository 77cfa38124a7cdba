import { describe, expect, it } from "vitest";
import { PATCH as workspacePatch } from "@/app/api/v1/workspace/route";
import { GET as meRoute } from "@/app/api/v1/me/route";
import { POST as creditsRoute } from "@/app/api/v1/admin/workspaces/[id]/credits/route";
import { adminUpdatePackage, adminUpdateTier, listPackagesAdmin } from "@/lib/admin/catalog-admin";
import { listAudit } from "@/lib/admin/audit";
import { adminOverview } from "@/lib/admin/overview";
import { adminUpdateUser } from "@/lib/admin/users";
import { adjustCredits, adminUpdateWorkspace, workspaceDetail } from "@/lib/admin/workspaces";
import { principalFromUser, type Principal } from "@/lib/auth/principal";
import { getDb } from "@/lib/db/client";
import { quoteRun } from "@/lib/runs/money/quote";
import { acceptRun } from "@/lib/runs/accept-run";
import { callRoute, sessionCookie } from "../helpers/call-route";
import { createUser } from "../helpers/factories";
import { runToEnd, scannerInput, testExecutor } from "../helpers/run-harness";
import { expectLedgerInvariantsAfterEach } from "../helpers/lifecycle";

// The admin console's actions, through lib/admin (their routes are the
// authorization matrix's subject): every one audit-logged; money moves only
// by ledger transfers.

const db = getDb();
expectLedgerInvariantsAfterEach();

async function anAdmin() {
  const a = await createUser("console-admin");
  await db.user.update({ where: { id: a.user.id }, data: { isAdmin: true } });
  return (await principalFromUser(a.user.id)) as Extract<Principal, { kind: "user" }>;
}

describe("admin console", () => {
  it("grant and deduct are ledger transfers carrying the reason and the admin; deducting more than available is refused", async () => {
    const admin = await anAdmin();
    const { workspace } = await createUser("console-credits");
    await adjustCredits(admin, workspace.id, { direction: "grant", amountMicros: 5_000_000, reason: "goodwill for the outage" }, { idempotencyKey: "grant-1", ip: "10.0.0.1" });
    const after = await adjustCredits(admin, workspace.id, { direction: "deduct", amountMicros: 2_000_000, reason: "duplicate grant" }, { idempotencyKey: "deduct-1", ip: null });
    expect(after.balance.availableMicros).toBe(1_000_000 + 5_000_000 - 2_000_000);
    const transfers = await db.transfer.findMany({ where: { workspaceId: workspace.id, reason: { in: ["admin_grant", "admin_deduct"] } }, orderBy: { createdAt: "asc" } });
    expect(transfers.map((t) => [t.reason, t.amountMicros, t.actorUserId, t.memo])).toEqual([
      ["admin_grant", 5_000_000n, admin.userId, "goodwill for the outage"],
      ["admin_deduct", 2_000_000n, admin.userId, "duplicate grant"],
    ]);
    await expect(adjustCredits(admin, workspace.id, { direction: "deduct", amountMicros: 9_000_000, reason: "too much" }, { idempotencyKey: "deduct-2", ip: null })).rejects.toMatchObject({ code: "conflict" });
    const audit = await listAudit({ workspace: workspace.id, action: "admin.credits", limit: 10 });
    expect(audit.data.map((a) => a.action).sort()).toEqual(["admin.credits.deducted", "admin.credits.granted"]);
    expect(audit.data[0]!.actor).toBe((await db.user.findUniqueOrThrow({ where: { id: admin.userId } })).email);
  });

  it("a grant sent twice, and concurrently, under one Idempotency-Key books once; the key is required and bound to its request", async () => {
    const admin = await anAdmin();
    const { workspace } = await createUser("console-grant-once");
    const cookie = await sessionCookie(admin.userId);
    const grant = { direction: "grant", amountMicros: 3_000_000, reason: "goodwill, sent twice" };
    const send = (key: string | null, body: object = grant) =>
      callRoute(creditsRoute, { method: "POST", headers: { cookie, ...(key === null ? {} : { "idempotency-key": key }) }, body: JSON.stringify(body), params: { id: workspace.id } });
    const first = await send("grant-once");
    const again = await send("grant-once");
    const concurrent = await Promise.all(Array.from({ length: 6 }, () => send("grant-twice")));
    expect([first, again, ...concurrent].map((r) => r.status)).toEqual(Array(8).fill(200));
    const booked = await db.transfer.findMany({ where: { workspaceId: workspace.id, reason: "admin_grant" } });
    expect(booked.map((t) => t.amountMicros)).toEqual([3_000_000n, 3_000_000n]); // one per key
    expect((await workspaceDetail(workspace.id)).balance.availableMicros).toBe(1_000_000 + 2 * 3_000_000);
    expect((await listAudit({ workspace: workspace.id, action: "admin.credits", limit: 10 })).data).toHaveLength(2);
    // The same key for another amount is refused; no key at all is a 400 that names the header.
    const reused = await send("grant-once", { ...grant, amountMicros: 4_000_000 });
    expect(reused).toMatchObject({ status: 409, body: { error: { code: "idempotency_key_reused" } } });
    const keyless = await send(null);
    expect(keyless.status).toBe(400);
    expect(keyless.body!.error.message).toContain("Idempotency-Key");
    expect(await db.transfer.count({ where: { workspaceId: workspace.id, reason: "admin_grant" } })).toBe(2);
  });

  it("a suspended workspace's runs get 403 workspace_suspended; unsuspended, they run", async () => {
    const admin = await anAdmin();
    const owner = await createUser("console-suspend");
    await adminUpdateWorkspace(admin, owner.workspace.id, { suspend: { reason: "payment fraud review" } }, null);
    const err = await acceptRun(await principalFromUser(owner.user.id), { agent: "security-scanner", input: scannerInput }, { executor: testExecutor() }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: "workspace_suspended", status: 403 });
    expect((await workspaceDetail(owner.workspace.id)).suspended).toMatchObject({ reason: "payment fraud review" });
    await adminUpdateWorkspace(admin, owner.workspace.id, { unsuspend: true }, null);
    expect((await runToEnd(testExecutor(), await principalFromUser(owner.user.id))).run.status).toBe("SUCCEEDED");
    const actions = (await listAudit({ workspace: owner.workspace.id, action: "admin.workspace", limit: 10 })).data.map((a) => a.action);
    expect(actions.sort()).toEqual(["admin.workspace.suspended", "admin.workspace.unsuspended"]);
  });

  it("a package's new price shows in the next quote, and survives the start-up sync", async () => {
    const admin = await anAdmin();
    const owner = await createUser("console-price");
    const pkg = (await listPackagesAdmin()).find((p) => p.slug === "audit-agent")!;
    const before = await quoteRun(owner.principal, { agent: "audit-agent", input: (await import("@/lib/agents/audit-agent/package")).auditAgent.exampleInput }, testExecutor());
    try {
      await adminUpdatePackage(admin, pkg.id, { baseFeeMicros: before.baseFeeMicros + 7_000 }, null);
      const after = await quoteRun(owner.principal, { agent: "audit-agent", input: (await import("@/lib/agents/audit-agent/package")).auditAgent.exampleInput }, testExecutor());
      expect(after.baseFeeMicros).toBe(before.baseFeeMicros + 7_000);
      expect(after.maxHoldMicros).toBe(before.maxHoldMicros + 7_000);
      const { syncPackages } = await import("@/lib/agents/sync-packages");
      const { builtInPackages } = await import("@/lib/agents/registry");
      await syncPackages(db, builtInPackages);
      expect((await db.agentPackage.findUniqueOrThrow({ where: { id: pkg.id } })).baseFeeMicros).toBe(BigInt(before.baseFeeMicros + 7_000));
      await expect(adminUpdatePackage(admin, pkg.id, { model: "no-such-model" }, null)).rejects.toMatchObject({ code: "validation_failed" });
    } finally {
      await adminUpdatePackage(admin, pkg.id, { baseFeeMicros: before.baseFeeMicros }, null);
    }
    expect((await listAudit({ action: "admin.package.updated", limit: 50 })).data.some((a) => a.target === pkg.id)).toBe(true);
  });

  it("a disabled user's session stops at once and stays ended; enabling lets them sign in again; an admin cannot disable themselves", async () => {
    const admin = await anAdmin();
    const u = await createUser("console-disable");
    const cookie = await sessionCookie(u.user.id);
    expect((await callRoute(meRoute, { headers: { cookie } })).status).toBe(200);
    await adminUpdateUser(admin, u.user.id, { disabled: true }, null);
    expect((await callRoute(meRoute, { headers: { cookie } })).status).toBe(401);
    await adminUpdateUser(admin, u.user.id, { disabled: false }, null);
    // Disabling ended the sessions (the version went 0 → 1): enabling does not revive the old cookie, a new sign-in works.
    expect((await callRoute(meRoute, { headers: { cookie } })).status).toBe(401);
    expect((await callRoute(meRoute, { headers: { cookie: await sessionCookie(u.user.id, undefined, 1) } })).status).toBe(200);
    await expect(adminUpdateUser(admin, admin.userId, { disabled: true }, null)).rejects.toMatchObject({ code: "bad_request" });
  });

  it("mass assignment: a member PATCHing their own workspace with tier, isAdmin, balance or role changes nothing", async () => {
    const u = await createUser("console-mass");
    const cookie = await sessionCookie(u.user.id);
    for (const field of [{ tier: "enterprise" }, { tierCode: "enterprise" }, { isAdmin: true }, { balance: 1_000_000_000 }, { role: "OWNER" }, { suspendedAt: null }, { paymentMode: "METERED" }]) {
      const res = await callRoute(workspacePatch, { method: "PATCH", headers: { cookie }, body: JSON.stringify({ monthlySpendCapMicros: null, ...field }) });
      expect(res.status, JSON.stringify(field)).toBe(400);
    }
    const w = await db.workspace.findUniqueOrThrow({ where: { id: u.workspace.id } });
    expect(w).toMatchObject({ tierCode: "free", paymentMode: "PREPAID", suspendedAt: null });
    expect((await db.user.findUniqueOrThrow({ where: { id: u.user.id } })).isAdmin).toBe(false);
    expect((await workspaceDetail(u.workspace.id)).balance.availableMicros).toBe(1_000_000);
  });

  it("tier edits apply to new runs; the overview counts runs and revenue from the rollup", async () => {
    const admin = await anAdmin();
    const free = await db.tier.findUniqueOrThrow({ where: { code: "free" } });
    await adminUpdateTier(admin, "free", { name: "Free" }, null); // a no-op edit is fine and audited
    await expect(adminUpdateTier(admin, "nope", { name: "x" }, null)).rejects.toMatchObject({ code: "not_found" });
    expect((await db.tier.findUniqueOrThrow({ where: { code: "free" } })).priceMultiplierBps).toBe(free.priceMultiplierBps);
    const owner = await createUser("console-overview");
    await runToEnd(testExecutor(), owner.principal);
    const o = await adminOverview();
    expect(o.windows.map((w) => w.days)).toEqual([1, 7, 30]);
    expect(o.windows[0]!.runs).toBeGreaterThanOrEqual(1);
    expect(o.windows[2]!.revenueMicros).toBeGreaterThanOrEqual(o.windows[0]!.revenueMicros);
    expect(o.topWorkspaces.length).toBeGreaterThan(0);
  });
});
