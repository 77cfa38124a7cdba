import { describe, expect, it } from "vitest";
import { securityScanner } from "@/lib/agents/security-scanner/package";
import { createApiKey, listApiKeys, updateApiKey } from "@/lib/api-keys/api-keys";
import { principalFromApiKey, type Principal } from "@/lib/auth/principal";
import { getDb } from "@/lib/db/client";
import { ApiError } from "@/lib/http/errors";
import { monthOf, monthSpend, WORKSPACE_SCOPE } from "@/lib/ledger/budgets";
import { balanceOf } from "@/lib/ledger/ledger";
import { acceptRun } from "@/lib/runs/accept-run";
import { cancelRun } from "@/lib/runs/cancel-run";
import { getWorkspaceSettings, updateWorkspaceSettings } from "@/lib/workspaces/budget-settings";
import { PATCH } from "@/app/api/v1/workspace/route";
import { callRoute, sessionCookie } from "../helpers/call-route";
import { createUser, setWallet } from "../helpers/factories";
import { runToEnd, scannerAnswer, scannerInput, testExecutor } from "../helpers/run-harness";
import { fakeAnthropicForFile, expectLedgerInvariantsAfterEach } from "../helpers/lifecycle";

// Monthly budgets (SPEC §4): the workspace's spend cap and an API key's spend
// limit are enforced with the run's hold — concurrent runs can never reserve
// past them — and settlement counts what was charged, not what was held.

const db = getDb();
const FEE = securityScanner.baseFeeMicros; // offline, a run holds and pays exactly its base fee
const fake = await fakeAnthropicForFile();
expectLedgerInvariantsAfterEach();

async function funded(label: string) {
  const owner = await createUser(label, { tier: "enterprise" }); // room for 50 concurrent runs
  const wallet = await setWallet(owner.workspace.id, 100_000_000n);
  return { ...owner, wallet };
}

async function fire(principal: Principal, n: number) {
  const executor = testExecutor();
  const outcomes = await Promise.all(
    Array.from({ length: n }, () => acceptRun(principal, { agent: "security-scanner", input: scannerInput }, { executor }).then(() => "accepted" as const, (e: unknown) => e)),
  );
  await executor.settled();
  return { accepted: outcomes.filter((o) => o === "accepted").length, refused: outcomes.filter((o): o is ApiError => o instanceof ApiError), other: outcomes.filter((o) => o !== "accepted" && !(o instanceof ApiError)) };
}

describe("monthly budgets", () => {
  it("a workspace capped at exactly 10 runs: of 50 concurrent runs, 10 are accepted and 40 get 402 spend_cap_reached", async () => {
    const c = await funded("cap-race");
    await updateWorkspaceSettings(c.principal, { monthlySpendCapMicros: Number(10n * FEE) }, null);
    const { accepted, refused, other } = await fire(c.principal, 50);
    expect(other).toEqual([]);
    expect(accepted).toBe(10);
    expect(refused).toHaveLength(40);
    expect(refused[0]).toMatchObject({ code: "spend_cap_reached", status: 402, details: { neededMicros: Number(FEE), capMicros: Number(10n * FEE) } });
    expect(await db.run.count({ where: { workspaceId: c.workspace.id } })).toBe(10);
    expect(await monthSpend(db, c.workspace.id, WORKSPACE_SCOPE)).toEqual({ spentMicros: 10n * FEE, heldMicros: 0n });
    expect((await balanceOf(db, c.wallet)).postedMicros).toBe(100_000_000n - 10n * FEE);
    const settings = await getWorkspaceSettings(c.principal);
    expect(settings).toMatchObject({ monthlySpendCapMicros: Number(10n * FEE), thisMonth: { spentMicros: Number(10n * FEE), heldMicros: 0 } });
    // Raising the cap lets runs through again.
    await updateWorkspaceSettings(c.principal, { monthlySpendCapMicros: Number(11n * FEE) }, null);
    expect((await fire(c.principal, 2)).accepted).toBe(1);
    const audit = await db.auditLog.findMany({ where: { workspaceId: c.workspace.id, action: "workspace.spend_cap_changed" } });
    expect(audit).toHaveLength(2);
  });

  it("an API key limited to exactly 10 runs: of 50 concurrent runs through it, 10 are accepted; members are not limited by it", async () => {
    const c = await funded("key-race");
    const { id, secret } = await createApiKey(c.principal, { name: "ci", monthlySpendLimitMicros: Number(10n * FEE) });
    const keyPrincipal = await principalFromApiKey(secret);
    const { accepted, refused, other } = await fire(keyPrincipal, 50);
    expect(other).toEqual([]);
    expect(accepted).toBe(10);
    expect(refused).toHaveLength(40);
    expect(refused.every((e) => e.code === "key_spend_limit_reached" && e.status === 402)).toBe(true);
    expect(await monthSpend(db, c.workspace.id, id)).toEqual({ spentMicros: 10n * FEE, heldMicros: 0n });
    // The workspace counter counts the key's runs too; the member's own runs are not the key's.
    expect((await fire(c.principal, 3)).accepted).toBe(3);
    expect(await monthSpend(db, c.workspace.id, WORKSPACE_SCOPE)).toEqual({ spentMicros: 13n * FEE, heldMicros: 0n });
    expect((await listApiKeys(c.principal)).find((k) => k.id === id)).toMatchObject({ monthlySpendLimitMicros: Number(10n * FEE), spentThisMonthMicros: Number(10n * FEE) });
    // Lifting the limit (null) lets the key run again.
    await updateApiKey(c.principal, id, { monthlySpendLimitMicros: null });
    expect((await fire(keyPrincipal, 1)).accepted).toBe(1);
  });

  it("settlement counts what was charged: a failed run releases its reservation, a canceled one counts its tokens only", async () => {
    const c = await funded("cap-settle");
    const executor = testExecutor({ anthropicUrl: fake.url });
    fake.script({ kind: "http_error", status: 400, type: "invalid_request_error" });
    expect((await runToEnd(executor, c.principal)).run.status).toBe("FAILED");
    expect(await monthSpend(db, c.workspace.id, WORKSPACE_SCOPE)).toEqual({ spentMicros: 0n, heldMicros: 0n });
    fake.script({ kind: "message", blocks: [{ type: "text", text: scannerAnswer() }], usage: { input: 1_000, output: 100 } });
    const ok = (await runToEnd(executor, c.principal)).run;
    expect(await monthSpend(db, c.workspace.id, WORKSPACE_SCOPE)).toEqual({ spentMicros: ok.priceMicros, heldMicros: 0n });
    // A queued run's reservation is released when it is canceled.
    const stalled = testExecutor({ works: false });
    const { run } = await acceptRun(c.principal, { agent: "security-scanner", input: scannerInput }, { executor: stalled });
    expect((await monthSpend(db, c.workspace.id, WORKSPACE_SCOPE)).heldMicros).toBe(FEE);
    await cancelRun(c.workspace.id, run.id, stalled);
    expect(await monthSpend(db, c.workspace.id, WORKSPACE_SCOPE)).toEqual({ spentMicros: ok.priceMicros, heldMicros: 0n });
  });

  it("a cap set mid-month counts what was already spent; the counter is per UTC month", async () => {
    const c = await funded("cap-late");
    expect((await fire(c.principal, 3)).accepted).toBe(3);
    await updateWorkspaceSettings(c.principal, { monthlySpendCapMicros: Number(4n * FEE) }, null);
    expect((await fire(c.principal, 5)).accepted).toBe(1);
    const counters = await db.spendCounter.findMany({ where: { workspaceId: c.workspace.id } });
    expect(counters.map((r) => r.month.toISOString())).toEqual([monthOf(new Date()).toISOString()]);
    expect(monthOf(new Date("2026-03-31T23:59:59Z")).toISOString()).toBe("2026-03-01T00:00:00.000Z");
  });

  it("budget settings are validated: unknown fields and negative amounts are refused and change nothing; members cannot set the cap", async () => {
    const c = await funded("cap-validate");
    const cookie = await sessionCookie(c.user.id);
    const patch = (body: unknown, as = cookie) => callRoute(PATCH, { method: "PATCH", headers: { cookie: as }, body: JSON.stringify(body) });
    for (const body of [{ monthlySpendCapMicros: 5_000_000, tier: "enterprise" }, { monthlySpendCapMicros: -1 }, { monthlySpendCapMicros: 1.5 }, {}]) {
      const res = await patch(body);
      expect(res.status).toBe(400);
      expect(res.body!.error.code).toBe("validation_failed");
    }
    expect(await db.workspace.findUniqueOrThrow({ where: { id: c.workspace.id }, select: { monthlySpendCapMicros: true, tierCode: true } })).toEqual({ monthlySpendCapMicros: null, tierCode: "enterprise" });
    const ok = await patch({ monthlySpendCapMicros: 5_000_000 });
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ monthlySpendCapMicros: 5_000_000, tier: { code: "enterprise" } });
    const member = await createUser("cap-member");
    await db.membership.create({ data: { userId: member.user.id, workspaceId: c.workspace.id, role: "MEMBER" } });
    expect((await patch({ monthlySpendCapMicros: null }, await sessionCookie(member.user.id, c.workspace.id))).status).toBe(403);
  });
});
