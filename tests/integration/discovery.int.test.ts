import { randomInt, randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { GET as recommendationsRoute } from "@/app/api/v1/recommendations/route";
import { listAgents, listAgentsQuerySchema, type CatalogPage } from "@/lib/agents/catalog";
import type { AgentPackageDefinition } from "@/lib/agents/define-package";
import { recommendations, refreshWorkspacePackageUse } from "@/lib/agents/recommendations";
import { builtInPackages } from "@/lib/agents/registry";
import { syncPackages } from "@/lib/agents/sync-packages";
import { getDb, type DbTx } from "@/lib/db/client";
import { deriveMissingAccepts } from "@/lib/packages/accepts";
import { callRoute, sessionCookie } from "../helpers/call-route";
import { createUser } from "../helpers/factories";

// Discovery (issue 20 item 6): ranking with trust and price and its explanation,
// the "accepts my data" filter, and recommendations from seeded usage. Every probe
// package, stats row and usage row lives in a transaction that is rolled back.

class Rollback extends Error {}
const madeUpWord = () => Array.from({ length: 10 }, () => "bcdfghjklmnpqrtvwxz"[randomInt(19)]).join("");
const list = (tx: DbTx, params: Record<string, string | number | undefined>) => listAgents(listAgentsQuerySchema.parse(params), tx);
const slugs = (page: CatalogPage) => page.data.map((a) => a.slug);
const builtIn = (slug: string) => builtInPackages.find((p) => p.slug === slug)!;

/** A probe package like built-in `base` (its input schema, so its accepted data), about `word`. */
const probe = (base: string, slug: string, word: string, text = "Probe") =>
  ({ ...builtIn(base), slug, name: `${text} ${word}`, summary: `Handles ${word} work.`, category: `${word}-cat`, capabilities: [`${word} handling`] }) as unknown as AgentPackageDefinition;

async function inRollback(fn: (tx: DbTx, word: string) => Promise<void>) {
  const done = getDb().$transaction(
    async (tx) => {
      await fn(tx, madeUpWord());
      throw new Rollback();
    },
    { timeout: 60_000 },
  );
  const outcome: unknown = await done.then(
    () => null,
    (e: unknown) => e,
  );
  if (!(outcome instanceof Rollback)) throw outcome; // a failed expectation inside, as itself
}

type Stats = { trustScore?: number | null; trustNew?: boolean; workspaces90?: number; medianPriceMicros?: bigint | null; risingScore?: number; runsTotal?: number };
async function setStats(tx: DbTx, slug: string, s: Stats) {
  await tx.packageStats.upsert({ where: { slug }, create: { slug, ...s }, update: s });
}

describe("ranking", () => {
  it("a higher-trust package outranks an equal text match with lower trust, and the explanation names each part", async () => {
    await inRollback(async (tx, word) => {
      const [high, low, fresh] = [`${word}-high`, `${word}-low`, `${word}-new`];
      await syncPackages(tx, [probe("knowledge-base", high, word), probe("knowledge-base", low, word), probe("knowledge-base", fresh, word)]);
      await setStats(tx, high, { trustScore: 0.97, trustNew: false, workspaces90: 41, medianPriceMicros: 20_000n });
      await setStats(tx, low, { trustScore: 0.3, trustNew: false, workspaces90: 12, medianPriceMicros: 20_000n });
      // `fresh` has no stats row: new, a neutral trust of 0.5, priced by its base fee.

      const page = await list(tx, { q: word });
      expect(page.sort).toBe("relevance");
      expect(slugs(page)).toEqual([high, fresh, low]);
      const [h, f, l] = page.data;
      expect(h!.rank.text).toBe(l!.rank.text); // the same words in the same fields
      expect(h!.rank.trust).toBe(0.97);
      expect(l!.rank.trust).toBe(0.3);
      expect(f!.rank.trust).toBe(0.5);
      expect(h!.rank.score).toBeCloseTo(0.6 * h!.rank.text + 0.3 * 0.97 + 0.1 * h!.rank.price, 3);
      expect(h!.rank.explanation).toBe(`Matches '${word}' in name, summary, capabilities and category; trust 97 % over 41 workspaces; median price $0.02`);
      expect(f!.rank.explanation).toMatch(/^Matches '.+'.*; new, so trust counts as neutral; base fee \$[\d.]+ \(no runs priced yet\)$/);
    });
  });

  it("a cheaper median price ranks an otherwise equal package higher; a better text match beats both", async () => {
    await inRollback(async (tx, word) => {
      const [cheap, dear, named] = [`${word}-cheap`, `${word}-dear`, `${word}-named`];
      // `named` has the word twice in its name as well: a better text match.
      await syncPackages(tx, [probe("knowledge-base", cheap, word), probe("knowledge-base", dear, word), probe("knowledge-base", named, word, `${word} ${word}`)]);
      for (const slug of [cheap, dear, named]) await setStats(tx, slug, { trustScore: 0.8, trustNew: false, workspaces90: 5, medianPriceMicros: 2_000_000n });
      await setStats(tx, cheap, { medianPriceMicros: 5_000n });

      const page = await list(tx, { q: word });
      expect(page.data.find((r) => r.slug === cheap)!.rank.price).toBeGreaterThan(page.data.find((r) => r.slug === dear)!.rank.price);
      expect(slugs(page).indexOf(cheap)).toBeLessThan(slugs(page).indexOf(dear));
      expect(page.data[0]!.slug).toBe(named);
      expect(page.data[0]!.rank.text).toBe(1); // the best match of the search
    });
  });

  it("pages by score with a cursor: every result once, in the order of one long page", async () => {
    await inRollback(async (tx, word) => {
      const all = Array.from({ length: 7 }, (_, i) => `${word}-${i}`);
      await syncPackages(tx, all.map((slug) => probe("knowledge-base", slug, word)));
      // Two pairs with equal scores: the slug breaks the tie.
      const trust = [0.9, 0.7, 0.7, 0.5, 0.95, 0.2, 0.2];
      for (const [i, slug] of all.entries()) await setStats(tx, slug, { trustScore: trust[i]!, trustNew: false, medianPriceMicros: 10_000n });

      const whole = slugs(await list(tx, { q: word, limit: 50 }));
      const paged: string[] = [];
      let cursor: string | undefined;
      do {
        const page = await list(tx, { q: word, limit: 2, cursor });
        paged.push(...slugs(page));
        cursor = page.nextCursor ?? undefined;
      } while (cursor);
      expect(paged).toEqual(whole);
      expect(whole).toEqual([`${word}-4`, `${word}-0`, `${word}-2`, `${word}-1`, `${word}-3`, `${word}-6`, `${word}-5`]);
    });
  });

  it("the card's runs, success rate and rating come from PackageStats", async () => {
    await inRollback(async (tx, word) => {
      const slug = `${word}-stats`;
      await syncPackages(tx, [probe("knowledge-base", slug, word)]);
      await tx.packageStats.create({ data: { slug, runsTotal: 40, succeededTotal: 30, rating: 4.25, ratingCount: 3 } });
      const [card] = (await list(tx, { q: word })).data;
      expect(card).toMatchObject({ slug, runs: 40, successRate: 0.75, rating: 4.25, ratingCount: 3 });
    });
  });
});

describe("accepts my data", () => {
  it("filters by the kinds an input schema accepts, every kind chosen, with counts per kind", async () => {
    await inRollback(async (tx, word) => {
      const [csv, files, yaml] = [`${word}-csv`, `${word}-files`, `${word}-yaml`];
      await syncPackages(tx, [probe("data-processor", csv, word), probe("security-scanner", files, word), probe("deployment-agent", yaml, word)]);

      const first = await list(tx, { q: word });
      expect(Object.fromEntries(first.facets!.accepts.map((f) => [f.value, f.count]))).toEqual({ csv: 1, files: 1, text: 1, yaml: 1 });
      expect(first.data.find((r) => r.slug === csv)!.accepts).toEqual(["csv", "text"]);

      expect(slugs(await list(tx, { q: word, accepts: "csv" }))).toEqual([csv]);
      expect(slugs(await list(tx, { q: word, accepts: "yaml" }))).toEqual([yaml]);
      expect(slugs(await list(tx, { q: word, accepts: "csv,text" }))).toEqual([csv]);
      expect(slugs(await list(tx, { q: word, accepts: "csv,files" }))).toEqual([]);
      // With csv chosen, the other kinds count what adding them would leave.
      const chosen = await list(tx, { q: word, accepts: "csv" });
      expect(Object.fromEntries(chosen.facets!.accepts.map((f) => [f.value, f.count]))).toEqual({ csv: 1, files: 0, text: 1, yaml: 0 });
      // Category and capability counts keep the accepts filter.
      expect(chosen.facets!.categories).toEqual([{ value: `${word}-cat`, count: 1 }]);
    });
  });

  it("a latest version stored before accepts was derived gets it from the stats job's pass", async () => {
    await inRollback(async (tx, word) => {
      const slug = `${word}-old`;
      await syncPackages(tx, [probe("data-processor", slug, word)]);
      await tx.agentPackage.updateMany({ where: { slug }, data: { accepts: [] } });
      expect((await list(tx, { q: word })).data[0]!.accepts).toEqual([]); // unknown: not offered under any kind
      expect(slugs(await list(tx, { q: word, accepts: "csv" }))).toEqual([]); // a request does not derive it
      await deriveMissingAccepts(tx);
      expect(slugs(await list(tx, { q: word, accepts: "csv" }))).toEqual([slug]);
      expect((await tx.agentPackage.findFirstOrThrow({ where: { slug } })).accepts).toEqual(["csv", "text"]);
    });
  });

  it("an unknown kind is a 400 naming it", () => {
    const parsed = listAgentsQuerySchema.safeParse({ accepts: "csv,pdf" });
    expect(parsed.success).toBe(false);
    expect(parsed.error!.issues[0]!.path).toEqual(["accepts", 1]);
    expect(parsed.error!.issues[0]!.message).toContain("csv, json, yaml, files, text");
  });
});

/** Seeds `runs` on each of 10 recent days for the workspace on the package's latest version. */
async function ran(tx: DbTx, workspaceId: string, slug: string, runs = 3) {
  const pkg = await tx.agentPackage.findFirstOrThrow({ where: { slug, isLatest: true }, select: { id: true } });
  const days = Array.from({ length: 10 }, (_, i) => new Date(Date.now() - (i + 1) * 86_400_000));
  await tx.packageUsageDaily.createMany({ data: days.map((day) => ({ packageId: pkg.id, workspaceId, day, runs, succeeded: runs })) });
}

describe("recommendations", () => {
  it("differ for two workspaces with different histories, each with its reason, and keep the new-and-rising slot", async () => {
    await inRollback(async (tx, word) => {
      const p = (n: number) => `${word}-p${n}`;
      await syncPackages(tx, [1, 2, 3, 4, 5, 6, 7].map((n) => probe("knowledge-base", p(n), word)));
      await setStats(tx, p(7), { risingScore: 1e9, workspaces90: 3 }); // the newcomer, first published now
      const ws = () => `ws-${randomUUID()}`; // the rollup has no foreign key: synthetic workspaces
      const [a, b, n1, n2, n3, n4] = [ws(), ws(), ws(), ws(), ws(), ws()];
      for (const [w, used] of [[a, [1, 2]], [b, [4]], [n1, [1, 2, 3]], [n2, [1, 3]], [n3, [4, 5]], [n4, [4, 5, 6]]] as const) {
        for (const n of used) await ran(tx, w, p(n), n === 6 ? 1 : 3);
      }

      await refreshWorkspacePackageUse(tx, new Date()); // the packages.stats job's step
      const forA = await recommendations(a, 6, tx);
      const forB = await recommendations(b, 6, tx);
      const coUsed = (recs: typeof forA) => recs.filter((r) => r.kind === "similar-workspaces").map((r) => r.agent.slug);
      expect(coUsed(forA)).toEqual([p(3)]);
      expect(coUsed(forB)).toEqual([p(5), p(6)]);
      expect(forA.find((r) => r.agent.slug === p(3))!.reason).toBe(`Used by 2 workspaces that also use ${p(1)}`);
      expect(forB.find((r) => r.agent.slug === p(5))!.reason).toBe(`Used by 2 workspaces that also use ${p(4)}`);
      // Never what the workspace already runs.
      expect(forA.map((r) => r.agent.slug)).not.toContain(p(1));
      // The fixed slot: second, the newest package with the highest risingScore.
      for (const recs of [forA, forB]) expect(recs[1]).toMatchObject({ kind: "new-and-rising", agent: { slug: p(7) } });
      expect(forA[1]!.reason).toBe("New and rising: published in the last 60 days, already run by 3 workspaces");
    });
  });

  it("a workspace without history gets popular packages, and the new-and-rising slot", async () => {
    await inRollback(async (tx, word) => {
      const [popular, rising] = [`${word}-popular`, `${word}-rising`];
      await syncPackages(tx, [probe("knowledge-base", popular, word), probe("knowledge-base", rising, word)]);
      await setStats(tx, popular, { workspaces90: 1e6, runsTotal: 1e6 });
      await setStats(tx, rising, { risingScore: 1e9 });
      const recs = await recommendations(`ws-${randomUUID()}`, 4, tx);
      expect(recs[0]).toMatchObject({ kind: "popular", agent: { slug: popular }, reason: "Popular: run by 1000000 workspaces in the last 90 days" });
      expect(recs[1]).toMatchObject({ kind: "new-and-rising", agent: { slug: rising }, reason: "New: published in the last 60 days" });
      expect(recs.length).toBeLessThanOrEqual(4);
    });
  });

  it("GET /api/v1/recommendations answers the signed-in workspace; without a session it is a 401", async () => {
    const { user, workspace } = await createUser("recs");
    const res = await callRoute(recommendationsRoute, { path: "/api/v1/recommendations?limit=3", headers: { cookie: await sessionCookie(user.id, workspace.id) } });
    expect(res.status).toBe(200);
    const data = (res.body as unknown as { data: { kind: string; reason: string }[] }).data;
    expect(data.length).toBeLessThanOrEqual(3);
    for (const r of data) expect(r.reason).not.toBe("");
    expect((await callRoute(recommendationsRoute, { path: "/api/v1/recommendations" })).status).toBe(401);
    expect((await callRoute(recommendationsRoute, { path: "/api/v1/recommendations?limit=99", headers: { cookie: await sessionCookie(user.id, workspace.id) } })).status).toBe(400);
  });
});

