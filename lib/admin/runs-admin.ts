import type { z } from "zod";
import { db } from "@/lib/db/client";
import type { Prisma } from "@/lib/generated/prisma/client";
import { ApiError } from "@/lib/http/errors";
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

/** Any run with its whole transcript (the event log). */
export async function adminGetRun(id: string) {
  const run = await db.run.findUnique({ where: { id }, select: { ...runDetailSelect, workspace: { select: { id: true, slug: true, name: true } } } });
  if (!run) throw new ApiError("not_found", "No such run.");
  const events = await db.runEvent.findMany({ where: { runId: id }, orderBy: { seq: "asc" }, select: { seq: true, type: true, data: true, createdAt: true } });
  return { ...runDetailJson(run), workspace: run.workspace, events: events.map((e) => ({ seq: e.seq, type: e.type, data: e.data, at: e.createdAt.toISOString() })) };
}
