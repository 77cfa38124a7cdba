import { randomInt } from "node:crypto";
import { describe, expect, it } from "vitest";
import { listAgents, listAgentsQuerySchema, type CatalogPage } from "@/lib/agents/catalog";
import type { AgentPackageDefinition } from "@/lib/agents/define-package";
import { securityScanner } from "@/lib/agents/security-scanner/package";
import { syncPackages } from "@/lib/agents/sync-packages";
import { getDb, type DbTx } from "@/lib/db/client";
import { Prisma } from "@/lib/generated/prisma/client";

// The catalog's search and filter counts. The seeded built-in packages are only read;
// the probe packages live in a transaction that is rolled back, so no other test sees them.

class Rollback extends Error {}

/** A made-up word no package uses (consonants only, so no stemmer trims it). */
const madeUpWord = () => Array.from({ length: 10 }, () => "bcdfghjklmnpqrtvwxz"[randomInt(19)]).join("");

const list = (params: Record<string, string | number | undefined>, client?: DbTx) => listAgents(listAgentsQuerySchema.parse(params), client);
const slugs = (page: CatalogPage) => page.data.map((a) => a.slug);

/** How many agents a listing holds, over every page (other test files' packages can fill more than one). */
async function listedCount(params: Record<string, string | number | undefined>, client: DbTx): Promise<number> {
  let count = 0;
  let cursor: string | undefined;
  do {
    const page = await list({ ...params, limit: 50, cursor }, client);
    count += page.data.length;
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return count;
}

/** Three published packages about `word`: two in category `<word>-ops`, one in `<word>-data`. */
function probes(word: string): AgentPackageDefinition[] {
  const probe = (n: number, category: string, capabilities: string[]) =>
    ({ ...securityScanner, slug: `probe-${word}-${n}`, name: `Probe ${n}`, summary: `Looks after ${word} number ${n}.`, category: `${word}-${category}`, capabilities: capabilities.map((c) => `${word} ${c}`) }) as unknown as AgentPackageDefinition;
  return [probe(1, "ops", ["paging", "logs"]), probe(2, "ops", ["logs"]), probe(3, "data", ["csv"])];
}

/** Runs `fn` on a transaction holding the probes (one snapshot of the catalog), then rolls it back. */
async function withProbes(fn: (tx: DbTx, word: string) => Promise<void>) {
  const word = madeUpWord();
  const done = getDb().$transaction(
    async (tx) => {
      await syncPackages(tx, probes(word));
      await fn(tx, word);
      throw new Rollback();
    },
    // One snapshot for the whole check: packages other test files publish meanwhile (into the same categories)
    // must not change the catalog between a chip's count and the listing it predicts.
    { timeout: 60_000, isolationLevel: Prisma.TransactionIsolationLevel.RepeatableRead },
  );
  await expect(done).rejects.toBeInstanceOf(Rollback);
}

const countsOf = (page: CatalogPage) => ({
  categories: Object.fromEntries(page.facets!.categories.filter((f) => f.count).map((f) => [f.value, f.count])),
  capabilities: Object.fromEntries(page.facets!.capabilities.filter((f) => f.count).map((f) => [f.value, f.count])),
});

describe("catalog search", () => {
  it("a misspelt search ('incdent') finds Incident Responder by similar words, and says so; the right spelling is a full-text match", async () => {
    const typo = await list({ q: "incdent" });
    expect(slugs(typo)[0]).toBe("incident-responder");
    expect(typo.similarWords).toBe(true);

    const exact = await list({ q: "incident" });
    expect(slugs(exact)).toContain("incident-responder");
    expect(exact.similarWords).toBe(false);
  });

  it("words like nothing in the catalog find nothing, even by similarity", async () => {
    const none = await list({ q: madeUpWord() });
    expect(none.data).toEqual([]);
    expect(none.similarWords).toBe(false);
  });

  it("the similar-word fallback keeps the filters and pages like any listing", async () => {
    await withProbes(async (tx, word) => {
      const typo = word.slice(0, 4) + word.slice(5); // one letter left out
      expect(slugs(await list({ q: word }, tx)).sort()).toEqual([1, 2, 3].map((n) => `probe-${word}-${n}`));
      const ops = await list({ q: typo, category: `${word}-ops` }, tx);
      expect(ops.similarWords).toBe(true);
      expect(slugs(ops).sort()).toEqual([`probe-${word}-1`, `probe-${word}-2`]);

      const first = await list({ q: typo, limit: 2 }, tx);
      const second = await list({ q: typo, limit: 2, cursor: first.nextCursor! }, tx);
      expect(second.similarWords).toBe(true);
      expect([...slugs(first), ...slugs(second)].sort()).toEqual([1, 2, 3].map((n) => `probe-${word}-${n}`));
      expect(second.facets).toBeUndefined(); // counts come with the first page only

      // In another order, the first page decides between full text and similar words in its one statement too.
      for (const sort of ["popular", "newest", "price"]) {
        const similar = await list({ q: typo, sort }, tx);
        expect(similar.similarWords, sort).toBe(true);
        expect(slugs(similar).sort(), sort).toEqual([1, 2, 3].map((n) => `probe-${word}-${n}`));
        expect(similar.data.every((a) => a.rank.explanation.startsWith("No exact match") && a.rank.text <= 1), sort).toBe(true);
        expect(countsOf(similar).categories, sort).toEqual({ [`${word}-data`]: 1, [`${word}-ops`]: 2 });
        const exact = await list({ q: word, sort }, tx);
        expect(exact.similarWords, sort).toBe(false);
        expect(exact.data.every((a) => a.rank.explanation.startsWith(`Matches '${word}'`)), sort).toBe(true);
      }
    });
  });
});

describe("catalog filter counts", () => {
  it("count, per chip, the agents the other filters and the search leave with that chip chosen", async () => {
    await withProbes(async (tx, word) => {
      expect(countsOf(await list({ q: word }, tx))).toEqual({
        categories: { [`${word}-data`]: 1, [`${word}-ops`]: 2 },
        capabilities: { [`${word} csv`]: 1, [`${word} logs`]: 2, [`${word} paging`]: 1 },
      });
      // A category chosen: capabilities count within it; the other categories count as replacements.
      expect(countsOf(await list({ q: word, category: `${word}-ops` }, tx))).toEqual({
        categories: { [`${word}-data`]: 1, [`${word}-ops`]: 2 },
        capabilities: { [`${word} logs`]: 2, [`${word} paging`]: 1 },
      });
      expect(countsOf(await list({ q: word, capability: `${word} paging` }, tx)).categories).toEqual({ [`${word}-ops`]: 1 });
    });
  });

  it("every chip's count equals the number of agents listed after choosing it, for full-text and similar-word searches", async () => {
    await withProbes(async (tx, word) => {
      const typo = word.slice(0, 4) + word.slice(5);
      for (const chosen of [{ q: word }, { q: typo }, { q: typo, category: `${word}-ops` }, {}, { capability: "csv" }]) {
        const { facets } = await list(chosen, tx);
        for (const [group, counts] of [["category", facets!.categories], ["capability", facets!.capabilities]] as const) {
          for (const { value, count } of counts) {
            expect(await listedCount({ ...chosen, [group]: value }, tx), `${JSON.stringify(chosen)} + ${group} ${value}`).toBe(count);
          }
        }
      }
    });
  });
});
