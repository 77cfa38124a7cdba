import type { z } from "zod";
import { db } from "@/lib/db/client";
import type { Prisma } from "@/lib/generated/prisma/client";
import { newestFirstAfter, newestFirstPage } from "@/lib/http/cursor";
import type { auditQuerySchema } from "./schemas";

const DAY_MS = 86_400_000;
export const dayRange = (from?: string, to?: string) =>
  from || to ? { ...(from ? { gte: new Date(`${from}T00:00:00Z`) } : {}), ...(to ? { lt: new Date(Date.parse(`${to}T00:00:00Z`) + DAY_MS) } : {}) } : undefined;

/** The audit log, newest first: by actor (email or user id), action (prefix), workspace (id or slug), dates. */
export async function listAudit(q: z.output<typeof auditQuerySchema>) {
  const where: Prisma.AuditLogWhereInput = { ...newestFirstAfter(q.cursor) };
  if (q.action) where.action = { startsWith: q.action };
  if (q.workspace) where.workspace = { OR: [{ id: q.workspace }, { slug: q.workspace }] };
  if (q.actor) {
    const users = await db.user.findMany({ where: { OR: [{ id: q.actor }, { email: { contains: q.actor.toLowerCase() } }] }, select: { id: true }, take: 50 });
    where.OR = [{ actorUserId: { in: users.map((u) => u.id) } }, { actorApiKeyId: q.actor }, { target: q.actor.toLowerCase() }];
  }
  const range = dayRange(q.from, q.to);
  if (range) where.createdAt = range;
  const rows = await db.auditLog.findMany({ where, orderBy: [{ createdAt: "desc" }, { id: "desc" }], take: q.limit + 1 });
  const { page, nextCursor } = newestFirstPage(rows, q.limit);
  const actors = new Map((await db.user.findMany({ where: { id: { in: page.map((r) => r.actorUserId).filter((v): v is string => Boolean(v)) } }, select: { id: true, email: true } })).map((u) => [u.id, u.email]));
  return {
    data: page.map((r) => ({ id: r.id, at: r.createdAt.toISOString(), action: r.action, actor: r.actorUserId ? (actors.get(r.actorUserId) ?? r.actorUserId) : r.actorApiKeyId ? `key ${r.actorApiKeyId}` : null, workspaceId: r.workspaceId, target: r.target, metadata: r.metadata, ip: r.ip })),
    nextCursor,
  };
}
