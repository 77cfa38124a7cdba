import type { z } from "zod";
import { forgetPublishedPackage } from "@/lib/agents/published-packages";
import { recordAudit } from "@/lib/audit/record-audit";
import { forgetPrincipals, type Principal } from "@/lib/auth/principal";
import { db } from "@/lib/db/client";
import { ApiError } from "@/lib/http/errors";
import { forgetPriceList } from "@/lib/llm/price-list";
import { microsJson } from "@/lib/money/format";
import type { adminPackageBodySchema, modelPriceBodySchema, tierBodySchema } from "./schemas";

// Packages, tiers and model prices: what operators price and publish. Edits are
// validated, audit-logged with before/after, and apply to runs accepted next
// (a run's price terms are read when it is accepted; model prices are cached ≤ 30 s).

type Admin = Extract<Principal, { kind: "user" }>;
const n = (v: bigint | null) => (v === null ? null : microsJson(v));

/** Package versions (all, or one by id) with their counters and revenue (from the usage rollup). */
export async function listPackagesAdmin(id?: string) {
  const packages = await db.agentPackage.findMany({ where: id ? { id } : {}, orderBy: [{ slug: "asc" }, { createdAt: "desc" }], omit: { inputSchema: true, outputSchema: true, exampleInput: true, description: true } });
  const revenue = await db.usageDaily.groupBy({ by: ["agentSlug"], where: id ? { agentSlug: { in: packages.map((p) => p.slug) } } : {}, _sum: { priceMicros: true, costMicros: true } });
  const bySlug = new Map(revenue.map((r) => [r.agentSlug, r._sum]));
  return packages.map((p) => ({
    id: p.id,
    slug: p.slug,
    version: p.version,
    name: p.name,
    category: p.category,
    status: p.status,
    suspendedReason: p.suspendedReason,
    model: p.model,
    maxOutputTokens: p.maxOutputTokens,
    baseFeeMicros: microsJson(p.baseFeeMicros),
    runs: p.runCount,
    successRate: p.runCount ? p.successCount / p.runCount : null,
    rating: p.ratingCount ? p.ratingSum / p.ratingCount : null,
    revenueMicros: n(bySlug.get(p.slug)?.priceMicros ?? 0n),
    modelCostMicros: n(bySlug.get(p.slug)?.costMicros ?? 0n),
    adminEdited: p.adminEditedAt !== null,
  }));
}

export async function adminUpdatePackage(admin: Admin, id: string, body: z.output<typeof adminPackageBodySchema>, ip: string | null) {
  if (body.model && !(await db.modelPrice.findUnique({ where: { model: body.model }, select: { model: true } }))) {
    throw new ApiError("validation_failed", "No price for this model: add it under Model prices first.", { issues: [{ path: "model", message: "Unknown model." }] });
  }
  const slug = await db.$transaction(async (tx) => {
    const before = await tx.agentPackage.findUnique({ where: { id }, select: { baseFeeMicros: true, model: true, maxOutputTokens: true, status: true, slug: true } });
    if (!before) throw new ApiError("not_found", "No such package.");
    await tx.agentPackage.update({
      where: { id },
      data: {
        ...(body.baseFeeMicros === undefined ? {} : { baseFeeMicros: BigInt(body.baseFeeMicros) }),
        ...(body.model ? { model: body.model } : {}),
        ...(body.maxOutputTokens ? { maxOutputTokens: body.maxOutputTokens } : {}),
        ...(body.status ? { status: body.status, suspendedReason: body.status === "SUSPENDED" ? body.suspendedReason : null } : {}),
        adminEditedAt: new Date(),
      },
    });
    await recordAudit(
      { action: "admin.package.updated", actorUserId: admin.userId, target: id, metadata: { slug: before.slug, before: { ...before, baseFeeMicros: Number(before.baseFeeMicros) }, changes: body }, ip },
      tx,
    );
    return before.slug;
  });
  await forgetPublishedPackage(slug);
  return (await listPackagesAdmin(id))[0]!;
}

export async function listTiers() {
  const tiers = await db.tier.findMany({ orderBy: { sortOrder: "asc" } });
  return tiers.map((t) => ({ ...t, monthlyPriceMicros: n(t.monthlyPriceMicros), includedCreditsMicros: n(t.includedCreditsMicros), tokensPerDay: Number(t.tokensPerDay), updatedAt: t.updatedAt.toISOString() }));
}

export async function adminUpdateTier(admin: Admin, code: string, body: z.output<typeof tierBodySchema>, ip: string | null) {
  await db.$transaction(async (tx) => {
    if (!(await tx.tier.findUnique({ where: { code }, select: { code: true } }))) throw new ApiError("not_found", "No such tier.");
    const big = (v: number | null | undefined) => (v === undefined ? undefined : v === null ? null : BigInt(v));
    await tx.tier.update({
      where: { code },
      data: { ...body, monthlyPriceMicros: big(body.monthlyPriceMicros), includedCreditsMicros: big(body.includedCreditsMicros), tokensPerDay: big(body.tokensPerDay) ?? undefined },
    });
    await recordAudit({ action: "admin.tier.updated", actorUserId: admin.userId, target: code, metadata: body, ip }, tx);
  });
  await forgetPrincipals({ tierCode: code });
  return (await listTiers()).find((t) => t.code === code)!;
}

export async function listModelPrices() {
  const rows = await db.modelPrice.findMany({ orderBy: { model: "asc" } });
  return rows.map((p) => ({ model: p.model, displayName: p.displayName, inputMicrosPerMTok: microsJson(p.inputMicrosPerMTok), outputMicrosPerMTok: microsJson(p.outputMicrosPerMTok), cacheWriteMicrosPerMTok: microsJson(p.cacheWriteMicrosPerMTok), cacheReadMicrosPerMTok: microsJson(p.cacheReadMicrosPerMTok) }));
}

export async function adminUpdateModelPrice(admin: Admin, model: string, body: z.output<typeof modelPriceBodySchema>, ip: string | null) {
  await db.$transaction(async (tx) => {
    if (!(await tx.modelPrice.findUnique({ where: { model }, select: { model: true } }))) throw new ApiError("not_found", "No such model.");
    const big = (v: number | undefined) => (v === undefined ? undefined : BigInt(v));
    await tx.modelPrice.update({
      where: { model },
      data: { displayName: body.displayName, inputMicrosPerMTok: big(body.inputMicrosPerMTok), outputMicrosPerMTok: big(body.outputMicrosPerMTok), cacheWriteMicrosPerMTok: big(body.cacheWriteMicrosPerMTok), cacheReadMicrosPerMTok: big(body.cacheReadMicrosPerMTok) },
    });
    await recordAudit({ action: "admin.model_price.updated", actorUserId: admin.userId, target: model, metadata: body, ip }, tx);
  });
  await forgetPriceList();
  return (await listModelPrices()).find((p) => p.model === model)!;
}
