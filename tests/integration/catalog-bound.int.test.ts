import { randomUUID } from "node:crypto";
import { afterAll, describe, expect, it } from "vitest";
import { ownDatabase } from "../helpers/own-database";

// A very broad search's ranking is bounded (lib/agents/catalog.ts RANK_CANDIDATES): it
// takes the candidates with the best trust and price in the staticScore index's order.
// A database of its own: a thousand listed packages would crowd the shared catalog's
// pages that other files read at the same moment.

const own = await ownDatabase("agora_bound");
afterAll(own.drop);
const { listAgents, listAgentsQuerySchema } = await import("@/lib/agents/catalog");
const { RANK_CANDIDATES } = await import("@/lib/agents/catalog-match");
const db = (await import("@/lib/db/client")).getDb();

describe("catalog ranking bound", () => {
  it("a search ranks at most RANK_CANDIDATES matches, those with the best trust and price; the other sorts page through all", async () => {
    const word = `zq${randomUUID().replace(/-/g, "").slice(0, 10)}`;
    const total = RANK_CANDIDATES + 5;
    const slugs = Array.from({ length: total }, (_, i) => `bound-${word}-${String(i).padStart(4, "0")}`);
    // Cheapest first: the five dearest (highest indexes) have the lowest static score.
    await db.$executeRaw`
      INSERT INTO "AgentPackage" (id, slug, version, name, summary, description, category, capabilities, status, kind, model, "maxOutputTokens", "baseFeeMicros",
                                  "inputSchema", "outputSchema", "exampleInput", "createdAt", "updatedAt")
      SELECT s, s, '1.0.0', 'Bound ' || s, ${word}, '', 'entries', ARRAY['bounding'], 'PUBLISHED', 'HOSTED', 'claude-haiku-4-5', 100, (1000 + n * 1000)::bigint,
             '{"type":"object"}', '{"type":"object"}', '{}', now(), now()
      FROM unnest(${slugs}::text[]) WITH ORDINALITY AS u(s, n)`;
    await db.$executeRaw`UPDATE "AgentPackage" SET "searchVector" = to_tsvector('english', summary) WHERE slug = ANY(${slugs})`;
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await listAgents(listAgentsQuerySchema.parse({ q: word, limit: 50, ...(cursor ? { cursor } : {}) }), db);
      seen.push(...page.data.map((a) => a.slug));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(seen).toHaveLength(RANK_CANDIDATES);
    const first = await listAgents(listAgentsQuerySchema.parse({ q: word }), db);
    expect(first.facets!.bounded).toBe(true); // chip counts among the same candidates: "at least"
    expect(first.facets!.categories).toEqual([{ value: "entries", count: RANK_CANDIDATES }]);
    const narrow = await listAgents(listAgentsQuerySchema.parse({ q: word, maxPrice: 5_000 }), db); // the four cheapest
    expect(narrow.facets).toMatchObject({ bounded: false, categories: [{ value: "entries", count: 4 }] });
    expect(new Set(seen).size).toBe(RANK_CANDIDATES);
    expect(seen).not.toContain(slugs.at(-1)); // the dearest are left out of the ranking
    const byPrice = await listAgents(listAgentsQuerySchema.parse({ q: word, sort: "price", limit: 50, }), db);
    expect(byPrice.data[0]!.slug).toBe(slugs[0]);
    expect(byPrice.data[0]!.rank.text).toBeLessThanOrEqual(1);
    const listed = await db.$queryRaw<{ n: number }[]>`SELECT count(*)::int AS n FROM "CatalogEntry" WHERE slug = ANY(${slugs})`;
    expect(listed[0]!.n).toBe(total); // all listed: only the ranking is bounded
    let all = 0;
    for (let page = await listAgents(listAgentsQuerySchema.parse({ q: word, sort: "newest", limit: 50 }), db); ; ) {
      all += page.data.length;
      if (!page.nextCursor) break;
      page = await listAgents(listAgentsQuerySchema.parse({ q: word, sort: "newest", limit: 50, cursor: page.nextCursor }), db);
    }
    expect(all).toBe(total);
  });

});
