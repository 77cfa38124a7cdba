import { describe, expect, it } from "vitest";
import { parse } from "csv-parse/sync";
import { GET as dailyRoute } from "@/app/api/v1/usage/daily/route";
import { GET as exportRoute } from "@/app/api/v1/usage/export.csv/route";
import { GET as summaryRoute } from "@/app/api/v1/usage/summary/route";
import { createApiKey } from "@/lib/api-keys/api-keys";
import { principalFromApiKey } from "@/lib/auth/principal";
import { getDb } from "@/lib/db/client";
import { callRoute } from "../helpers/call-route";
import { createUser, setWallet } from "../helpers/factories";
import { runToEnd, scannerAnswer, testExecutor } from "../helpers/run-harness";
import { NextRequest } from "next/server";
import { fakeAnthropicForFile } from "../helpers/lifecycle";

// The usage API reads the daily rollup written in each run's settlement; these
// tests check it against the runs themselves.

const db = getDb();
const fake = await fakeAnthropicForFile();

const today = () => new Date().toISOString().slice(0, 10);

async function workspaceWithRuns(label: string) {
  const owner = await createUser(label);
  await setWallet(owner.workspace.id, 50_000_000n);
  const { id: keyId, secret } = await createApiKey(owner.principal, { name: "ci" });
  const key = await principalFromApiKey(secret);
  const claude = testExecutor({ anthropicUrl: fake.url });
  for (const [input, output] of [[1_000, 100], [2_000, 300]] as const) {
    fake.script({ kind: "message", blocks: [{ type: "text", text: scannerAnswer() }], usage: { input, output } });
    await runToEnd(claude, owner.principal);
  }
  fake.script({ kind: "http_error", status: 400, type: "invalid_request_error" });
  await runToEnd(claude, key); // FAILED
  const offline = testExecutor();
  await runToEnd(offline, key);
  const { dataProcessor } = await import("@/lib/agents/data-processor/package");
  await runToEnd(offline, key, dataProcessor.exampleInput as object, "data-processor");
  return { ...owner, keyId, secret };
}

const get = (handler: typeof summaryRoute, query: string, secret: string) =>
  callRoute(handler, { path: `/api/v1/usage?${query}`, headers: { authorization: `Bearer ${secret}` } });

describe("usage API", () => {
  it("the summary's totals, top agents and per-key spend equal the runs they count", async () => {
    const w = await workspaceWithRuns("usage-summary");
    const res = await get(summaryRoute, "", w.secret);
    expect(res.status).toBe(200);
    const s = res.body as unknown as Awaited<ReturnType<typeof import("@/lib/usage/usage-queries").usageSummary>>;
    const runs = await db.run.findMany({ where: { workspaceId: w.workspace.id } });
    const sum = (f: (r: (typeof runs)[number]) => number | bigint) => runs.reduce((a, r) => a + Number(f(r)), 0);
    expect(s.range).toMatchObject({ to: today(), days: 30 });
    expect(s.totals).toEqual({
      runs: 5,
      succeeded: runs.filter((r) => r.status === "SUCCEEDED").length,
      failed: 1,
      canceled: 0,
      inputTokens: sum((r) => r.inputTokens),
      outputTokens: sum((r) => r.outputTokens),
      cacheReadTokens: 0,
      cacheWriteTokens: 0,
      spendMicros: sum((r) => r.priceMicros),
    });
    expect(s.totals.spendMicros).toBeGreaterThan(0);
    expect(s.topAgents.map((a) => a.agent).sort()).toEqual(["data-processor", "security-scanner"]);
    expect(s.topAgents.find((a) => a.agent === "security-scanner")).toMatchObject({ runs: 4 });
    const byKey = Object.fromEntries(s.byKey.map((k) => [k.apiKeyId ?? "members", k]));
    expect(byKey[w.keyId]).toMatchObject({ runs: 3, failed: 1, name: expect.stringContaining("ci (agora_") });
    expect(byKey.members).toMatchObject({ runs: 2, name: "Members (browser)" });
    expect(byKey.members!.spendMicros + byKey[w.keyId]!.spendMicros).toBe(s.totals.spendMicros);
    // Burn rate: this week's spend over 8 days; days left follow from the balance.
    expect(s.balance.burnPerDayMicros).toBe(Math.round(s.totals.spendMicros / 8));
    expect(s.balance.daysLeft).toBe(Math.floor(s.balance.availableMicros / s.balance.burnPerDayMicros));
  });

  it("daily rows by agent, model and key match a GROUP BY over the runs", async () => {
    const w = await workspaceWithRuns("usage-daily");
    for (const [groupBy, field] of [["agent", "agentSlug"], ["model", "model"], ["key", "apiKeyId"]] as const) {
      const res = await get(dailyRoute, `groupBy=${groupBy}&from=${today()}&to=${today()}`, w.secret);
      expect(res.status).toBe(200);
      const data = (res.body as unknown as { data: { day: string; group: string; runs: number; spendMicros: number; outputTokens: number }[] }).data;
      const runs = await db.run.findMany({ where: { workspaceId: w.workspace.id } });
      const expected = new Map<string, { runs: number; spend: number; out: number }>();
      for (const r of runs) {
        const g = (r[field] as string | null) ?? "";
        const e = expected.get(g) ?? { runs: 0, spend: 0, out: 0 };
        expected.set(g, { runs: e.runs + 1, spend: e.spend + Number(r.priceMicros), out: e.out + r.outputTokens });
      }
      expect(data.map((d) => [d.day, d.group, d.runs, d.spendMicros, d.outputTokens]).sort()).toEqual(
        [...expected].map(([g, e]) => [today(), g, e.runs, e.spend, e.out]).sort(),
      );
    }
  });

  it("ranges are validated with field paths; another workspace sees none of this usage", async () => {
    const w = await workspaceWithRuns("usage-range");
    for (const q of ["from=2026-02-30", "from=yesterday", "from=2026-05-02&to=2026-05-01", "from=2024-01-01&to=2026-01-01", "groupBy=team"]) {
      const res = await get(dailyRoute, q, w.secret);
      expect(res.status, q).toBe(400);
      expect(res.body!.error.code).toBe("validation_failed");
    }
    const other = await createUser("usage-other");
    const { secret } = await createApiKey(other.principal, { name: "other" });
    const res = await get(summaryRoute, "", secret);
    expect((res.body as unknown as { totals: { runs: number } }).totals.runs).toBe(0);
    const empty = await get(dailyRoute, "", secret);
    expect((empty.body as unknown as { data: unknown[] }).data).toEqual([]);
  });

  it("export.csv streams every run of the range in batches, newest first, one header", async () => {
    const owner = await createUser("usage-csv");
    const { secret } = await createApiKey(owner.principal, { name: "csv" });
    const pkg = await db.agentPackage.findFirstOrThrow({ where: { slug: "security-scanner" } });
    const base = Date.now() - 3_600_000;
    await db.run.createMany({
      data: Array.from({ length: 2_345 }, (_, i) => ({
        workspaceId: owner.workspace.id, packageId: pkg.id, agentSlug: pkg.slug, packageVersion: pkg.version, input: {}, provider: "offline", model: "=cmd|calc",
        status: "SUCCEEDED" as const, priceMicros: BigInt(i), createdAt: new Date(base + i * 1_000), finishedAt: new Date(base + i * 1_000 + 500),
      })),
    });
    // From the first run's UTC day: run within an hour after midnight, the runs are yesterday's.
    const from = new Date(base).toISOString().slice(0, 10);
    const req = new NextRequest(`http://127.0.0.1:3999/api/v1/usage/export.csv?from=${from}`, { headers: { authorization: `Bearer ${secret}` } });
    const res = await exportRoute(req, { params: Promise.resolve({}) });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(res.headers.get("content-disposition")).toMatch(/attachment; filename="agora-usage-/);
    const rows = parse(await res.text(), { columns: true }) as Record<string, string>[];
    expect(rows).toHaveLength(2_345);
    expect(rows[0]).toMatchObject({ price_micros: "2344", price_usd: "0.002344", status: "SUCCEEDED", agent: "security-scanner", model: "'=cmd|calc" });
    const prices = rows.map((r) => Number(r.price_micros));
    expect(prices).toEqual([...prices].sort((a, b) => b - a));
    expect(new Set(rows.map((r) => r.run_id)).size).toBe(rows.length);
  });
});
