import type { z } from "zod";
import { db } from "@/lib/db/client";
import type { Prisma } from "@/lib/generated/prisma/client";
import { ApiError } from "@/lib/http/errors";
import { microsJson } from "@/lib/money/format";
import { newestFirstAfter, newestFirstPage } from "@/lib/http/cursor";
import { runDetailSelect, runDetailJson, runSummaryJson, runSummarySelect } from "@/lib/runs/run-queries";
import { dayRange } from "./audit";
import type { adminRunsQuerySchema } from "./schemas";

/** Every workspace's runs, newest first, filtered by status, agent, workspace (id or slug), model, error code, dates. */
export async function adminListRuns(q: z.output<typeof adminRunsQuerySchema>) {
  const where: Prisma.RunWhereInput = { ...newestFirstAfter(q.cursor) };
  if (q.status) where.status = q.status;
  if (q.agent) where.agentSlug = q.agent;
  if (q.model) where.model = q.model;
  if (q.errorCode) where.errorCode = q.errorCode;
  if (q.workspace) where.workspace = { OR: [{ id: q.workspace }, { slug: q.workspace }] };
  const range = dayRange(q.from, q.to);
  if (range) where.createdAt = range;
  const rows = await db.run.findMany({ where, orderBy: [{ createdAt: "desc" }, { id: "desc" }], take: q.limit + 1, select: { ...runSummarySelect, workspace: { select: { id: true, slug: true } } } });
  const { page, nextCursor } = newestFirstPage(rows, q.limit);
  return { data: page.map((r) => ({ ...runSummaryJson(r), workspace: r.workspace })), nextCursor };
}

/** Any run with its whole transcript (the event log), its revenue split (a third-party package's) and every transfer booked for it (charge, share, fee, refund). */
export async function adminGetRun(id: string) {
  const run = await db.run.findUnique({
    where: { id },
    select: { ...runDetailSelect, workspace: { select: { id: true, slug: true, name: true } }, platformFeeBps: true, providerShareMicros: true, platformFeeMicros: true, passThroughMicros: true },
  });
  if (!run) throw new ApiError("not_found", "No such run.");
  const [events, transfers] = await Promise.all([
    db.runEvent.findMany({ where: { runId: id }, orderBy: { seq: "asc" }, select: { seq: true, type: true, data: true, createdAt: true } }),
    db.transfer.findMany({ where: { runId: id }, orderBy: { createdAt: "asc" }, select: { id: true, kind: true, reason: true, amountMicros: true, memo: true, createdAt: true } }),
  ]);
  const { platformFeeBps, providerShareMicros, platformFeeMicros, passThroughMicros, ...detail } = run;
  return {
    ...runDetailJson(detail),
    workspace: run.workspace,
    split: platformFeeBps === null ? null : { platformFeeBps, providerShareMicros: microsJson(providerShareMicros), platformFeeMicros: microsJson(platformFeeMicros), passThroughMicros: microsJson(passThroughMicros) },
    transfers: transfers.map((t) => ({ ...t, amountMicros: microsJson(t.amountMicros), createdAt: t.createdAt.toISOString() })),
    refunded: transfers.some((t) => t.reason === "refund"),
    events: events.map((e) => ({ seq: e.seq, type: e.type, data: e.data, at: e.createdAt.toISOString() })),
  };
}
