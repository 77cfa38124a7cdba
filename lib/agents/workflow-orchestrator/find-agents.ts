import { z } from "zod";
import type { DbTx } from "@/lib/db/client";
import { queryTerms } from "../knowledge/search-documents-tool";

// find_agents: which published agents fit a goal — each scored by the goal's
// words found (as prefixes, so "scanning" finds "scan") in its name and
// capabilities (3), category (2) and summary (1).

export const findAgentsInputSchema = z.object({
  goal: z.string().trim().min(3, "Describe the goal.").max(4_000),
  limit: z.number().int().min(1).max(10).default(5),
});

export type AgentMatch = { slug: string; name: string; summary: string; score: number; matched: string[] };

export async function findAgents(db: DbTx, input: z.output<typeof findAgentsInputSchema>, exclude: string[] = []): Promise<{ agents: AgentMatch[] }> {
  const rows = await db.agentPackage.findMany({
    where: { status: "PUBLISHED", slug: { notIn: exclude } },
    select: { slug: true, name: true, summary: true, category: true, capabilities: true },
    orderBy: [{ slug: "asc" }, { createdAt: "desc" }],
    distinct: ["slug"],
  });
  const terms = queryTerms(input.goal).map((t) => (t.length > 5 ? t.slice(0, t.length - 2) : t));
  const agents = rows
    .map((r) => {
      const strong = `${r.name} ${r.capabilities.join(" ")}`.toLowerCase();
      const matched = terms.filter((t) => strong.includes(t) || r.category.includes(t) || r.summary.toLowerCase().includes(t));
      const score = matched.reduce((sum, t) => sum + (strong.includes(t) ? 3 : r.category.includes(t) ? 2 : 1), 0);
      return { slug: r.slug, name: r.name, summary: r.summary, score, matched };
    })
    .filter((a) => a.score > 0)
    .sort((a, b) => b.score - a.score || a.slug.localeCompare(b.slug))
    .slice(0, input.limit);
  return { agents };
}
