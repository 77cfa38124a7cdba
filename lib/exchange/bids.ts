import type { z } from "zod";
import type { Principal } from "@/lib/auth/principal";
import { db, type DbTx } from "@/lib/db/client";
import { Prisma, type Work } from "@/lib/generated/prisma/client";
import { newestFirstAfter, newestFirstPage } from "@/lib/http/cursor";
import { ApiError } from "@/lib/http/errors";
import { parseWith } from "@/lib/http/validate";
import { formatUsd } from "@/lib/money/format";
import { now } from "@/lib/time/clock";
import { actorOf, callerProvider, invalidField } from "./callers";
import { rankBids, type RankableWork } from "./evaluation";
import { recordWorkEvent } from "./transition";
import { bidInclude, bidJson, type BidJson, type BidRow } from "./work-json";
import type { providerBidPageSchema } from "./work-json-schemas";
import { placeBidBodySchema, type PlaceBidBody } from "./work-schemas";

// Bids (issue 21 item 2): a provider member bids by hand (with one of its
// provider's published packages, or without one to deliver by upload); packages
// bid by themselves through their bid policy (lib/exchange/auto-bids.ts). One bid
// per provider and package on a work (a unique key); a bid can be withdrawn
// until the award. Bids take the work's row lock shared: bids run side by side,
// an award (which takes it exclusively) waits for them and they for it.

/** The work locked against an award while a bid is placed or withdrawn; 404 when it does not exist. */
async function shareLockWork(tx: DbTx, workId: string): Promise<Work> {
  const [row] = await tx.$queryRaw<Work[]>`SELECT * FROM "Work" WHERE "id" = ${workId} FOR SHARE`;
  if (!row) throw new ApiError("not_found", "No such work.", { workId });
  return { ...row, budgetMicros: BigInt(row.budgetMicros) };
}

/** 409 unless the work takes bids at `at`: OPEN and before its bid deadline. */
export function assertTakesBids(work: Pick<Work, "status" | "bidDeadline">, at: Date): void {
  if (work.status !== "OPEN") throw new ApiError("conflict", `This work is ${work.status.toLowerCase()}: it takes no more bids.`, { status: work.status });
  if (work.bidDeadline <= at) throw new ApiError("conflict", "The bid window of this work has closed.", { bidDeadline: work.bidDeadline.toISOString() });
}

async function bidderProvider(principal: Principal) {
  const provider = await callerProvider(db, principal.workspace.id);
  if (!provider) throw new ApiError("forbidden", "Only a provider's members can bid: save a provider profile under Provider first.");
  return provider;
}

/** POST /api/v1/work/:id/bids: a hand bid by a member of a provider's workspace. */
export async function placeBid(principal: Principal, workId: string, body: PlaceBidBody, o: { at?: Date } = {}): Promise<BidJson> {
  const b = parseWith(placeBidBodySchema, body);
  const provider = await bidderProvider(principal);
  const pkg = b.package ? await db.agentPackage.findFirst({ where: { slug: b.package, providerId: provider.id, status: "PUBLISHED", isLatest: true }, select: { id: true, slug: true } }) : null;
  if (b.package && !pkg) throw invalidField("package", `your provider has no published package '${b.package}'.`);
  const packageSlug = pkg?.slug ?? "";
  try {
    return await db.$transaction(async (tx) => {
      const work = await shareLockWork(tx, workId);
      if (work.visibility === "INVITED" && !work.invitedProviderIds.includes(provider.id) && work.workspaceId !== principal.workspace.id) throw new ApiError("not_found", "No such work.", { workId });
      if (work.workspaceId === principal.workspace.id) throw new ApiError("forbidden", "You cannot bid on your own workspace's work.");
      assertTakesBids(work, o.at ?? (await now(tx)));
      if (BigInt(b.priceMicros) > work.budgetMicros) {
        throw invalidField("priceMicros", `the bid is above the work's budget of ${formatUsd(Number(work.budgetMicros))}.`);
      }
      if (await tx.bid.findUnique({ where: { workId_providerId_packageSlug: { workId, providerId: provider.id, packageSlug } }, select: { id: true } })) throw alreadyBid(packageSlug);
      const bid = await tx.bid.create({
        data: { workId, providerId: provider.id, packageId: pkg?.id ?? null, packageSlug, bidderUserId: principal.userId, priceMicros: BigInt(b.priceMicros), promisedMinutes: b.promisedMinutes, note: b.note },
        include: bidInclude,
      });
      await recordWorkEvent(tx, work, { type: "bid", actor: actorOf(principal), data: { bidId: bid.id, provider: provider.slug, package: pkg?.slug ?? null, auto: false } });
      return bidJson(bid);
    });
  } catch (err) {
    // Two bids of one provider and package at once: the second loses on the unique key.
    if (err instanceof Prisma.PrismaClientKnownRequestError && err.code === "P2002") throw alreadyBid(packageSlug);
    throw err;
  }
}

const alreadyBid = (packageSlug: string) =>
  new ApiError("conflict", packageSlug ? `Your provider already bid on this work with '${packageSlug}'.` : "Your provider already bid on this work without a package.", { package: packageSlug || null });

/** POST /api/v1/work/:id/bids/:bidId/withdraw: the provider's ACTIVE bid withdrawn, before the award only (409 after). */
export async function withdrawBid(principal: Principal, workId: string, bidId: string): Promise<BidJson> {
  const provider = await bidderProvider(principal);
  return db.$transaction(async (tx) => {
    const work = await shareLockWork(tx, workId);
    const bid = await tx.bid.findFirst({ where: { id: bidId, workId, providerId: provider.id }, select: { id: true, status: true } });
    if (!bid) throw new ApiError("not_found", "No such bid of yours on this work.", { bidId });
    if (work.status !== "OPEN") throw new ApiError("conflict", `This work is ${work.status.toLowerCase()}: bids can be withdrawn only before the award.`, { status: work.status });
    const { count } = await tx.bid.updateMany({ where: { id: bidId, status: "ACTIVE" }, data: { status: "WITHDRAWN", withdrawnAt: new Date() } });
    if (count === 0) throw new ApiError("conflict", `This bid is ${bid.status.toLowerCase()} already.`, { status: bid.status });
    await recordWorkEvent(tx, work, { type: "bid_withdrawn", actor: actorOf(principal), data: { bidId, provider: provider.slug } });
    return bidJson(await tx.bid.findUniqueOrThrow({ where: { id: bidId }, include: bidInclude }));
  });
}

/** The bids' packages' trust scores (PackageStats; null for a new package). */
async function trustScores(tx: DbTx, slugs: string[]): Promise<Map<string, number | null>> {
  const stats = slugs.length ? await tx.packageStats.findMany({ where: { slug: { in: slugs } }, select: { slug: true, trustScore: true, trustNew: true } }) : [];
  return new Map(stats.map((s) => [s.slug, s.trustNew ? null : s.trustScore]));
}

/** Bid rows ranked for `work` (evaluation.ts), best first, with what ranking them needs. */
export async function rankBidRows(tx: DbTx, work: RankableWork, rows: BidRow[], at: Date) {
  const trust = await trustScores(tx, [...new Set(rows.flatMap((r) => (r.package ? [r.package.slug] : [])))]);
  return rankBids(
    work,
    rows.map((r) => ({ ...r, package: r.package, trustScore: r.package ? (trust.get(r.package.slug) ?? null) : null })),
    at,
  );
}

/** A work's bids as JSON: ranked best first with the breakdown (the buyer), or newest first without it. */
export async function bidRowsJson(tx: DbTx, work: RankableWork, where: Prisma.BidWhereInput, o: { ranked: boolean; at: Date }): Promise<BidJson[]> {
  const rows = await tx.bid.findMany({ where, include: bidInclude, orderBy: [{ createdAt: "desc" }, { id: "desc" }] });
  if (!o.ranked) return rows.map((r) => bidJson(r));
  return (await rankBidRows(tx, work, rows, o.at)).map((r) => bidJson(r, r.rank));
}

/** GET /api/v1/provider/bids: the caller provider's bids, newest first, each with its work's title and status. */
export async function listProviderBids(principal: Principal, query: { cursor?: string; limit: number }): Promise<z.infer<typeof providerBidPageSchema>> {
  const after = newestFirstAfter(query.cursor); // a bad cursor is a 400 for anyone
  const provider = await callerProvider(db, principal.workspace.id);
  if (!provider) return { data: [], nextCursor: null };
  const rows = await db.bid.findMany({
    where: { providerId: provider.id, ...(after ?? {}) },
    include: { ...bidInclude, work: { select: { id: true, title: true, status: true, bidDeadline: true, deliveryDeadline: true } } },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: query.limit + 1,
  });
  const { page, nextCursor } = newestFirstPage(rows, query.limit);
  return {
    data: page.map((r) => ({ ...bidJson(r), work: { id: r.work.id, title: r.work.title, status: r.work.status, bidDeadline: r.work.bidDeadline.toISOString(), deliveryDeadline: r.work.deliveryDeadline.toISOString() } })),
    nextCursor,
  };
}
