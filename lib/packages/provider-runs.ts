import type { z } from "zod";
import { db } from "@/lib/db/client";
import { newestFirstAfter, newestFirstPage } from "@/lib/http/cursor";
import { microsJson } from "@/lib/money/format";
import type { providerRunPageSchema } from "./schemas";

// "Runs of my packages" (issue 19 item 7): every run of the provider's
// packages, whoever started it — status, timing, price and failure cause, and
// never the consumer: no input, output, error text, workspace or user.

const select = { id: true, agentSlug: true, packageVersion: true, status: true, failureCause: true, priceMicros: true, providerShareMicros: true, createdAt: true, startedAt: true, finishedAt: true } as const;

/** GET /api/v1/provider/runs: newest first, paginated; nothing when the workspace is not a provider. */
export async function listProviderRuns(workspaceId: string, q: { cursor?: string; limit: number }): Promise<z.infer<typeof providerRunPageSchema>> {
  const after = newestFirstAfter(q.cursor);
  const provider = await db.provider.findUnique({ where: { workspaceId }, select: { id: true } });
  if (!provider) return { data: [], nextCursor: null };
  const rows = await db.run.findMany({
    where: { package: { providerId: provider.id }, ...after },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: q.limit + 1,
    select,
  });
  const { page, nextCursor } = newestFirstPage(rows, q.limit);
  return {
    data: page.map((r) => ({
      id: r.id,
      agent: r.agentSlug,
      version: r.packageVersion,
      status: r.status,
      failureCause: r.failureCause,
      priceMicros: microsJson(r.priceMicros),
      providerShareMicros: microsJson(r.providerShareMicros),
      durationMs: r.startedAt && r.finishedAt ? r.finishedAt.getTime() - r.startedAt.getTime() : null,
      createdAt: r.createdAt.toISOString(),
    })),
    nextCursor,
  };
}
export type ProviderRun = Awaited<ReturnType<typeof listProviderRuns>>["data"][number];
