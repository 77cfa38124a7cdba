import type { z } from "zod";
import { forgetPublishedPackage } from "@/lib/agents/published-packages";
import { recordAudit } from "@/lib/audit/record-audit";
import type { Principal } from "@/lib/auth/principal";
import { db, type DbTx } from "@/lib/db/client";
import { env } from "@/lib/env";
import type { PackagePriceChange } from "@/lib/generated/prisma/client";
import { ApiError } from "@/lib/http/errors";
import { formatUsd, microsJson } from "@/lib/money/format";
import { providerIdOf } from "./package-versions";
import { newestVersionFirst } from "./semver";
import type { priceChangeSchema } from "./schemas";
import { lockPackageSlug } from "./validate-manifest";

// A package's base fee after publishing (issue 19 item 4): a decrease applies
// at once to every version of the slug; an increase after AGORA_PRICE_NOTICE_DAYS
// (14) days' notice, shown on the package page meanwhile, applied by the
// `packages.prices` job (applyDuePriceChanges). One pending increase per
// package: a new schedule replaces it; the provider may cancel it.

const DAY_MS = 86_400_000;
type Actor = Pick<Principal, "userId" | "apiKeyId"> & { workspace: { id: string } };

export type PriceChange = z.infer<typeof priceChangeSchema>;

export function priceChangeJson(c: PackagePriceChange): PriceChange {
  return { id: c.id, slug: c.slug, baseFeeMicros: microsJson(c.baseFeeMicros), effectiveAt: c.effectiveAt.toISOString(), appliedAt: c.appliedAt?.toISOString() ?? null, canceledAt: c.canceledAt?.toISOString() ?? null };
}

/** Sets the fee of every version of the slug (in `tx`); callers forget the cached package after the commit. */
const setFee = (tx: DbTx, providerId: string, slug: string, baseFeeMicros: bigint) => tx.agentPackage.updateMany({ where: { slug, providerId }, data: { baseFeeMicros } });

/** The increase waiting to take effect, shown on the package page ("Price rises to $X on <date>"). */
export async function pendingPriceChange(slug: string): Promise<PriceChange | null> {
  const c = await db.packagePriceChange.findFirst({ where: { slug, appliedAt: null, canceledAt: null }, orderBy: { effectiveAt: "desc" } });
  return c && priceChangeJson(c);
}

/** The provider's price changes of a package, newest first (the editor's history). */
export async function listPriceChanges(workspaceId: string, slug: string): Promise<PriceChange[]> {
  const providerId = await providerIdOf(workspaceId);
  if (!(await db.agentPackage.findFirst({ where: { providerId, slug }, select: { id: true } }))) throw new ApiError("not_found", `You have no package '${slug}'.`);
  const rows = await db.packagePriceChange.findMany({ where: { providerId, slug }, orderBy: { createdAt: "desc" }, take: 20 });
  return rows.map(priceChangeJson);
}

/** POST /api/v1/provider/packages/:slug/price-changes — the new base fee: now when lower, after the notice when higher. */
export async function schedulePriceChange(actor: Actor, slug: string, baseFeeMicros: number, ip: string | null, now = new Date()): Promise<PriceChange> {
  const max = env().AGORA_MAX_BASE_FEE_MICROS;
  if (baseFeeMicros > max) throw new ApiError("validation_failed", `Base fee: ${formatUsd(baseFeeMicros)} is above the platform's maximum of ${formatUsd(max)}.`, { issues: [{ path: "baseFeeMicros", message: "Too high." }] });
  const fee = BigInt(baseFeeMicros);
  const change = await db.$transaction(async (tx) => {
    const providerId = await providerIdOf(actor.workspace.id, tx);
    await lockPackageSlug(tx, slug);
    const [current] = newestVersionFirst(await tx.agentPackage.findMany({ where: { slug, providerId, status: "PUBLISHED" }, select: { version: true, baseFeeMicros: true } }));
    if (!current) throw new ApiError("not_found", `You have no published package '${slug}'.`);
    if (fee === current.baseFeeMicros) throw new ApiError("validation_failed", `Base fee: ${slug} already costs ${formatUsd(baseFeeMicros)}.`, { issues: [{ path: "baseFeeMicros", message: "Unchanged." }] });
    await tx.packagePriceChange.updateMany({ where: { providerId, slug, appliedAt: null, canceledAt: null }, data: { canceledAt: now } });
    const increase = fee > current.baseFeeMicros;
    const effectiveAt = increase ? new Date(now.getTime() + env().AGORA_PRICE_NOTICE_DAYS * DAY_MS) : now;
    const created = await tx.packagePriceChange.create({ data: { providerId, slug, baseFeeMicros: fee, effectiveAt, appliedAt: increase ? null : now } });
    if (!increase) await setFee(tx, providerId, slug, fee);
    await recordAudit({ action: "package.price_scheduled", actorUserId: actor.userId, actorApiKeyId: actor.apiKeyId, workspaceId: actor.workspace.id, target: created.id, metadata: { slug, from: microsJson(current.baseFeeMicros), to: baseFeeMicros, effectiveAt: effectiveAt.toISOString() }, ip }, tx);
    return created;
  });
  if (change.appliedAt) await forgetPublishedPackage(slug);
  return priceChangeJson(change);
}

/** DELETE …/price-changes/:id — cancels a pending increase (an applied or canceled one is a 409). */
export async function cancelPriceChange(actor: Actor, slug: string, id: string, ip: string | null): Promise<PriceChange> {
  return db.$transaction(async (tx) => {
    const providerId = await providerIdOf(actor.workspace.id, tx);
    const { count } = await tx.packagePriceChange.updateMany({ where: { id, providerId, slug, appliedAt: null, canceledAt: null }, data: { canceledAt: new Date() } });
    const row = await tx.packagePriceChange.findFirst({ where: { id, providerId, slug } });
    if (!row) throw new ApiError("not_found", "No such price change.");
    if (count === 0) throw new ApiError("conflict", `This price change was already ${row.appliedAt ? "applied" : "canceled"}.`);
    await recordAudit({ action: "package.price_canceled", actorUserId: actor.userId, actorApiKeyId: actor.apiKeyId, workspaceId: actor.workspace.id, target: id, metadata: { slug }, ip }, tx);
    return priceChangeJson(row);
  });
}

/**
 * The `packages.prices` job: applies every increase whose notice is
 * over. Each is claimed by one conditional UPDATE (applied once, however many
 * workers run it at once) in the transaction that sets the fee.
 */
export async function applyDuePriceChanges(client = db, now = new Date()): Promise<{ applied: number }> {
  const due = await client.packagePriceChange.findMany({ where: { appliedAt: null, canceledAt: null, effectiveAt: { lte: now } }, orderBy: { effectiveAt: "asc" }, take: 100 });
  let applied = 0;
  for (const c of due) {
    const done = await client.$transaction(async (tx) => {
      const { count } = await tx.packagePriceChange.updateMany({ where: { id: c.id, appliedAt: null, canceledAt: null }, data: { appliedAt: now } });
      if (count) await setFee(tx, c.providerId, c.slug, c.baseFeeMicros);
      return count === 1;
    });
    if (done) {
      applied++;
      await forgetPublishedPackage(c.slug);
    }
  }
  return { applied };
}
