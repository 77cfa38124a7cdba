import { db, type DbTx } from "@/lib/db/client";
import type { Prisma } from "@/lib/generated/prisma/client";
import { ApiError } from "@/lib/http/errors";
import { OFFLINE_OUTPUT_NOTE, offlineModelLabel } from "@/lib/llm/offline-provider";
import { newestFirstAfter, newestFirstPage } from "@/lib/http/cursor";
import type { PriceBreakdown } from "./money/price";
import { microsJson } from "@/lib/money/format";
import { deprecationOf } from "@/lib/packages/deprecation";
import type { ListRunsQuery } from "./schemas";

// Reads of runs, always scoped by the caller's workspace: another workspace's
// run is "not found", never "forbidden" (SPEC §9).

export const runSummarySelect = {
  id: true,
  agentSlug: true,
  packageVersion: true,
  status: true,
  errorCode: true,
  errorMessage: true,
  failureCause: true,
  provider: true,
  model: true,
  inputTokens: true,
  outputTokens: true,
  cacheWriteTokens: true,
  cacheReadTokens: true,
  toolCalls: true,
  retries: true,
  providerCostMicros: true,
  priceMicros: true,
  idempotencyKey: true,
  parentRunId: true,
  depth: true,
  userId: true,
  apiKeyId: true,
  createdAt: true,
  startedAt: true,
  finishedAt: true,
  package: { select: { name: true, status: true, yankReason: true } },
} satisfies Prisma.RunSelect;

type RunSummaryRow = Prisma.RunGetPayload<{ select: typeof runSummarySelect }>;
export const runDetailSelect = { ...runSummarySelect, input: true, output: true } satisfies Prisma.RunSelect;

export function runSummaryJson(r: RunSummaryRow) {
  return {
    id: r.id,
    agent: r.agentSlug,
    agentName: r.package.name,
    agentVersion: r.packageVersion,
    status: r.status,
    error: r.errorCode ? { code: r.errorCode, message: r.errorMessage ?? "" } : null,
    /** Who a failed run's failure is due to (SPEC §13): consumer_input, provider, platform or canceled. */
    failureCause: r.failureCause,
    provider: r.provider,
    model: r.model,
    modelLabel: offlineModelLabel(r.provider, r.model),
    /** Said of an output no language model wrote (the offline model composed it from the tool results). */
    outputNote: r.provider === "offline" && r.status === "SUCCEEDED" ? OFFLINE_OUTPUT_NOTE : null,
    usage: { inputTokens: r.inputTokens, outputTokens: r.outputTokens, cacheWriteTokens: r.cacheWriteTokens, cacheReadTokens: r.cacheReadTokens },
    toolCalls: r.toolCalls,
    retries: r.retries,
    costMicros: microsJson(r.providerCostMicros),
    priceMicros: microsJson(r.priceMicros),
    idempotencyKey: r.idempotencyKey,
    parentRunId: r.parentRunId,
    depth: r.depth,
    principal: r.apiKeyId ? { kind: "api_key", id: r.apiKeyId } : { kind: "user", id: r.userId },
    createdAt: r.createdAt.toISOString(),
    startedAt: r.startedAt?.toISOString() ?? null,
    finishedAt: r.finishedAt?.toISOString() ?? null,
    durationMs: r.startedAt && r.finishedAt ? r.finishedAt.getTime() - r.startedAt.getTime() : null,
    /** Set while the run's version is yanked (issue 20): a pinned caller ran it; it should move its pin. */
    deprecation: deprecationOf({ slug: r.agentSlug, version: r.packageVersion, status: r.package.status, yankReason: r.package.yankReason }),
  };
}

export type RunSummary = ReturnType<typeof runSummaryJson>;
/**
 * `children`: every run below this one (child runs of agents that call agents), oldest first, each with its parentRunId and depth.
 * `breakdown`: what the price is made of, once the run has finished (null before).
 */
export type RunDetail = RunSummary & { input: unknown; output: unknown; children: RunSummary[]; breakdown: PriceBreakdown | null };

export function runDetailJson(run: Prisma.RunGetPayload<{ select: typeof runDetailSelect }>, children: RunSummary[] = [], breakdown: PriceBreakdown | null = null): RunDetail {
  return { ...runSummaryJson(run), input: run.input, output: run.output, children, breakdown };
}

export async function getRun(workspaceId: string, runId: string): Promise<RunDetail> {
  const run = await db.run.findFirst({ where: { id: runId, workspaceId }, select: runDetailSelect });
  if (!run) throw new ApiError("not_found", "No such run in this workspace.");
  const [children, breakdown] = await Promise.all([descendants(workspaceId, runId), run.finishedAt ? runBreakdown(runId) : null]);
  return runDetailJson(run, children, breakdown);
}

/** A finished run's price breakdown: the closing usage event records it with the prices of the moment the run finished (null without one). */
export async function runBreakdown(runId: string, client: DbTx = db): Promise<PriceBreakdown | null> {
  const usage = await client.runEvent.findFirst({ where: { runId, type: "usage" }, orderBy: { seq: "desc" }, select: { data: true } });
  return ((usage?.data as { breakdown?: PriceBreakdown } | undefined)?.breakdown ?? null) as PriceBreakdown | null;
}

/** The runs below `runId` (depth ≤ 3 bounds the walk), in the same workspace. */
async function descendants(workspaceId: string, runId: string): Promise<RunSummary[]> {
  const ids = await db.$queryRaw<{ id: string }[]>`
    WITH RECURSIVE tree AS (
      SELECT id FROM "Run" WHERE "parentRunId" = ${runId} AND "workspaceId" = ${workspaceId}
      UNION ALL
      SELECT r.id FROM "Run" r JOIN tree t ON r."parentRunId" = t.id WHERE r."workspaceId" = ${workspaceId}
    )
    SELECT id FROM tree LIMIT 2000`;
  if (!ids.length) return [];
  const rows = await db.run.findMany({ where: { id: { in: ids.map((r) => r.id) }, workspaceId }, select: runSummarySelect, orderBy: [{ createdAt: "asc" }, { id: "asc" }] });
  return rows.map(runSummaryJson);
}

/** Throws 404 unless the run belongs to the workspace. */
export async function assertRunInWorkspace(workspaceId: string, runId: string): Promise<{ status: string }> {
  const run = await db.run.findFirst({ where: { id: runId, workspaceId }, select: { status: true } });
  if (!run) throw new ApiError("not_found", "No such run in this workspace.");
  return run;
}

/** Newest first, keyset-paginated on (createdAt, id). */
export async function listRuns(workspaceId: string, q: ListRunsQuery): Promise<{ data: RunSummary[]; nextCursor: string | null }> {
  const where: Prisma.RunWhereInput = { workspaceId };
  if (q.status) where.status = q.status;
  if (q.agent) where.agentSlug = q.agent;
  if (q.from || q.to) where.createdAt = { ...(q.from ? { gte: q.from } : {}), ...(q.to ? { lt: q.to } : {}) };
  const after = newestFirstAfter(q.cursor);
  if (after) where.AND = [after];
  const rows = await db.run.findMany({ where, select: runSummarySelect, orderBy: [{ createdAt: "desc" }, { id: "desc" }], take: q.limit + 1 });
  const { page, nextCursor } = newestFirstPage(rows, q.limit);
  return { data: page.map(runSummaryJson), nextCursor };
}

export type RunEventJson = { seq: number; type: string; data: unknown; at: string };

export async function runEventsAfter(runId: string, afterSeq: number, limit = 500): Promise<RunEventJson[]> {
  const rows = await db.runEvent.findMany({ where: { runId, seq: { gt: afterSeq } }, orderBy: { seq: "asc" }, take: limit });
  return rows.map((e) => ({ seq: e.seq, type: e.type, data: e.data, at: e.createdAt.toISOString() }));
}
