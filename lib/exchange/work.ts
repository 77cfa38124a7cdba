import type { z } from "zod";
import type { Principal } from "@/lib/auth/principal";
import { db, type DbTx } from "@/lib/db/client";
import { Prisma, type Work } from "@/lib/generated/prisma/client";
import { newestFirstAfter, newestFirstPage } from "@/lib/http/cursor";
import { ApiError } from "@/lib/http/errors";
import { parseWith } from "@/lib/http/validate";
import { now } from "@/lib/time/clock";
import { compileAcceptance } from "./acceptance";
import { actorOf, callerProvider, invalidField, scopedKey } from "./callers";
import { bidRowsJson } from "./bids";
import { holdBudget, refundEscrow } from "./escrow";
import { assertMove } from "./states";
import { moveWork, recordWorkEvent, withWork } from "./transition";
import { readWorkJson, workInclude, worksJson, type WorkJson } from "./work-json";
import type { workDetailJsonSchema, workPageSchema } from "./work-json-schemas";
import { postWorkBodySchema, type ListWorkQuery, type PostWorkBody } from "./work-schemas";

// Posting, reading and canceling work (issue 21 items 1, 6, 7). A work is posted
// funded: its row, the budget's escrow hold and its "posted" event are one
// transaction, so a wallet that cannot cover the budget (402) leaves nothing behind.

async function checkReferences(tx: DbTx, workspaceId: string, body: { documentIds: string[]; invitedProviders: string[] }): Promise<string[]> {
  const documentIds = [...new Set(body.documentIds)];
  if (documentIds.length) {
    const own = await tx.document.count({ where: { id: { in: documentIds }, workspaceId } });
    if (own !== documentIds.length) throw invalidField("documentIds", "Attach only your workspace's own documents.");
  }
  const slugs = [...new Set(body.invitedProviders)];
  if (!slugs.length) return [];
  const found = await tx.provider.findMany({ where: { slug: { in: slugs } }, select: { id: true, slug: true } });
  const missing = slugs.filter((s) => !found.some((p) => p.slug === s));
  if (missing.length) throw invalidField("invitedProviders", `No provider ${missing.map((s) => `'${s}'`).join(", ")}.`);
  return found.map((p) => p.id);
}

/** POST /api/v1/work: validates, then the work, its budget hold and its "posted" event in one transaction. */
export async function postWork(principal: Principal, body: PostWorkBody, o: { idempotencyKey?: string; at?: Date } = {}): Promise<WorkJson> {
  const b = parseWith(postWorkBodySchema, body);
  const workspaceId = principal.workspace.id;
  const key = o.idempotencyKey ? `${workspaceId}:${o.idempotencyKey}` : null;
  const replay = key ? await db.work.findUnique({ where: { idempotencyKey: key }, select: { id: true } }) : null;
  if (replay) return readWorkJson(db, replay.id, workspaceId);
  const at = o.at ?? (await now(db));
  if (b.bidDeadline <= at) throw invalidField("bidDeadline", "The bid deadline must be in the future.");
  const acceptance = compileAcceptance(b.acceptance);
  try {
    const id = await db.$transaction(async (tx) => {
      const invitedProviderIds = await checkReferences(tx, workspaceId, { documentIds: b.documentIds, invitedProviders: b.visibility === "INVITED" ? b.invitedProviders : [] });
      const work = await tx.work.create({
        data: {
          workspaceId, createdByUserId: principal.userId, title: b.title, description: b.description, input: b.input as Prisma.InputJsonValue, documentIds: [...new Set(b.documentIds)],
          acceptance: acceptance as Prisma.InputJsonValue, budgetMicros: BigInt(b.budgetMicros), capabilities: [...new Set(b.capabilities)], visibility: b.visibility, invitedProviderIds,
          autoAward: b.autoAward, bidDeadline: b.bidDeadline, deliveryDeadline: b.deliveryDeadline, idempotencyKey: key,
        },
      });
      await holdBudget(tx, work);
      await recordWorkEvent(tx, work, { type: "posted", actor: actorOf(principal), to: "OPEN", data: { budgetMicros: b.budgetMicros } });
      return work.id;
    });
    return readWorkJson(db, id, workspaceId);
  } catch (err) {
    // The same key posted twice at once: the second finds the first's work.
    if (key && err instanceof Prisma.PrismaClientKnownRequestError && err.code === "P2002") {
      const first = await db.work.findUnique({ where: { idempotencyKey: key }, select: { id: true } });
      if (first) return readWorkJson(db, first.id, workspaceId);
    }
    throw err;
  }
}

/** POST /api/v1/work/:id/cancel: the buyer's OPEN work canceled, its hold released, its bids lost. */
export async function cancelWork(principal: Principal, workId: string, o: { idempotencyKey?: string } = {}): Promise<WorkJson> {
  const idempotencyKey = scopedKey(principal, "cancel", o.idempotencyKey);
  await withWork(db, { workId, workspaceId: principal.workspace.id, idempotencyKey }, async (tx, work) => {
    assertMove(work.status, "CANCELED", "canceled");
    await refundEscrow(tx, work);
    await tx.bid.updateMany({ where: { workId, status: "ACTIVE" }, data: { status: "LOST" } });
    await moveWork(tx, work, "CANCELED", { type: "canceled", action: "canceled", actor: actorOf(principal), idempotencyKey });
  });
  return readWorkJson(db, workId, principal.workspace.id);
}

type Viewer = { role: "buyer" | "provider" | "public"; providerId: string | null };

/** How the caller sees `work`: its buyer, a provider that may bid on it (or did), anyone (public work); null = not at all. */
async function viewerOf(principal: Principal, work: Pick<Work, "id" | "workspaceId" | "visibility" | "invitedProviderIds">): Promise<Viewer | null> {
  if (work.workspaceId === principal.workspace.id) return { role: "buyer", providerId: null };
  const provider = await callerProvider(db, principal.workspace.id);
  if (provider) {
    const invited = work.visibility === "PUBLIC" || work.invitedProviderIds.includes(provider.id);
    if (invited || (await db.bid.count({ where: { workId: work.id, providerId: provider.id } })) > 0) return { role: "provider", providerId: provider.id };
  }
  return work.visibility === "PUBLIC" ? { role: "public", providerId: null } : null;
}

export type WorkDetailJson = z.infer<typeof workDetailJsonSchema>;

/**
 * GET /api/v1/work/:id: the work, its bids (the buyer: every bid, ranked best first with
 * the breakdown; a provider: its own) and its history (the buyer and the contract's provider).
 * 404 for a work the caller may not see.
 */
export async function getWork(principal: Principal, workId: string, o: { at?: Date } = {}): Promise<WorkDetailJson> {
  const row = await db.work.findUnique({ where: { id: workId }, include: workInclude });
  const viewer = row && (await viewerOf(principal, row));
  if (!row || !viewer) throw new ApiError("not_found", "No such work.", { workId });
  const [work] = await worksJson(db, [row], principal.workspace.id);
  const bidWhere = viewer.role === "buyer" ? { workId } : { workId, providerId: viewer.providerId ?? "" };
  const bids = viewer.role === "public" ? [] : await bidRowsJson(db, row, bidWhere, { ranked: viewer.role === "buyer", at: o.at ?? (await now(db)) });
  const seesHistory = viewer.role === "buyer" || (viewer.providerId !== null && row.contract?.providerId === viewer.providerId);
  const events = seesHistory ? await db.workEvent.findMany({ where: { workId }, orderBy: [{ createdAt: "asc" }, { id: "asc" }] }) : [];
  return {
    ...work!,
    bids,
    events: events.map((e) => ({ id: e.id, type: e.type, fromStatus: e.fromStatus, toStatus: e.toStatus, data: e.data, createdAt: e.createdAt.toISOString() })),
  };
}

/**
 * GET /api/v1/work: `open` — OPEN works whose bid window is open that the caller's provider
 * may bid on (public, or it is invited; never its own workspace's), newest first;
 * `mine` — the caller workspace's works, newest first.
 */
export async function listWork(principal: Principal, query: ListWorkQuery, o: { at?: Date } = {}): Promise<z.infer<typeof workPageSchema>> {
  const workspaceId = principal.workspace.id;
  const after = newestFirstAfter(query.cursor);
  let scope: Prisma.WorkWhereInput;
  if (query.scope === "mine") scope = { workspaceId };
  else {
    const provider = await callerProvider(db, workspaceId);
    const at = o.at ?? (await now(db));
    scope = {
      status: "OPEN",
      bidDeadline: { gt: at },
      workspaceId: { not: workspaceId },
      OR: [{ visibility: "PUBLIC" }, ...(provider ? [{ invitedProviderIds: { has: provider.id } }] : [])],
    };
  }
  const rows = await db.work.findMany({
    where: { AND: [scope, ...(query.capability ? [{ capabilities: { has: query.capability } }] : []), ...(after ? [after] : [])] },
    include: workInclude,
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: query.limit + 1,
  });
  const { page, nextCursor } = newestFirstPage(rows, query.limit);
  return { data: await worksJson(db, page, workspaceId), nextCursor };
}
