import { z } from "zod";
import { db } from "@/lib/db/client";
import { Prisma } from "@/lib/generated/prisma/client";
import { microsJson } from "@/lib/money/format";
import { workspaceBalance } from "@/lib/ledger/ledger";
import { dayOf } from "./rollup";
import { dayQuery } from "@/lib/http/date-query";

// Usage for dashboards and the API (SPEC §9): read from the daily rollup
// (lib/usage/rollup.ts), so a 30-day summary reads a few rows per day whatever
// the number of runs. Days are UTC; a range names its first and last day.

const DAY_MS = 86_400_000;
export const MAX_RANGE_DAYS = 366;

export const usageRangeQuerySchema = z
  .object({ from: dayQuery.optional(), to: dayQuery.optional() })
  .transform((q, ctx) => {
    const to = q.to ? new Date(`${q.to}T00:00:00Z`) : dayOf(new Date());
    const from = q.from ? new Date(`${q.from}T00:00:00Z`) : new Date(to.getTime() - 29 * DAY_MS);
    const days = Math.round((to.getTime() - from.getTime()) / DAY_MS) + 1;
    if (days < 1) ctx.addIssue({ code: "custom", path: ["from"], message: "`from` must not be after `to`." });
    if (days > MAX_RANGE_DAYS) ctx.addIssue({ code: "custom", path: ["from"], message: `A range covers at most ${MAX_RANGE_DAYS} days.` });
    return { from, to, days };
  });
export type UsageRange = z.output<typeof usageRangeQuerySchema>;

export const usageGroupings = ["agent", "model", "key"] as const;
export const usageDailyQuerySchema = z.intersection(usageRangeQuerySchema, z.object({ groupBy: z.enum(usageGroupings).default("agent") }));

const day = (d: Date) => d.toISOString().slice(0, 10);
const groupColumn = { agent: Prisma.sql`"agentSlug"`, model: Prisma.sql`"model"`, key: Prisma.sql`"apiKeyId"` } as const;

type Totals = {
  runs: number;
  succeeded: number;
  failed: number;
  canceled: number;
  inputTokens: number;
  outputTokens: number;
  cacheReadTokens: number;
  cacheWriteTokens: number;
  spendMicros: number;
};
type Row = { [K in keyof Totals]: bigint | number };

const sums = Prisma.sql`sum("runs")::bigint AS runs, sum("succeeded")::bigint AS succeeded, sum("failed")::bigint AS failed, sum("canceled")::bigint AS canceled,
  sum("inputTokens")::bigint AS "inputTokens", sum("outputTokens")::bigint AS "outputTokens", sum("cacheReadTokens")::bigint AS "cacheReadTokens",
  sum("cacheWriteTokens")::bigint AS "cacheWriteTokens", sum("priceMicros")::bigint AS "spendMicros"`;

function totals(r: Partial<Row> | undefined): Totals {
  const n = (v: bigint | number | undefined | null) => microsJson(BigInt(v ?? 0));
  return {
    runs: n(r?.runs),
    succeeded: n(r?.succeeded),
    failed: n(r?.failed),
    canceled: n(r?.canceled),
    inputTokens: n(r?.inputTokens),
    outputTokens: n(r?.outputTokens),
    cacheReadTokens: n(r?.cacheReadTokens),
    cacheWriteTokens: n(r?.cacheWriteTokens),
    spendMicros: n(r?.spendMicros),
  };
}

// Response bodies (lib/http/route.ts `response`): what usageSummary and usageDaily send.
const count = z.number().int();
const totalsSchema = z.object({
  runs: count,
  succeeded: count,
  failed: count,
  canceled: count,
  inputTokens: count,
  outputTokens: count,
  cacheReadTokens: count,
  cacheWriteTokens: count,
  spendMicros: count,
});
const rangeSchema = z.object({ from: z.iso.date(), to: z.iso.date(), days: count });
export const usageSummaryResponseSchema = z.object({
  range: rangeSchema,
  totals: totalsSchema,
  topAgents: z.array(totalsSchema.extend({ agent: z.string() })),
  byKey: z.array(totalsSchema.extend({ apiKeyId: z.string().nullable(), name: z.string() })),
  balance: z.object({ availableMicros: count, heldMicros: count, burnPerDayMicros: count, daysLeft: count.nullable() }),
});
export const usageDailyResponseSchema = z.object({
  range: rangeSchema,
  groupBy: z.enum(usageGroupings),
  data: z.array(totalsSchema.extend({ day: z.iso.date(), group: z.string(), name: z.string().optional() })),
});

const inRange = (workspaceId: string, r: UsageRange) => Prisma.sql`"workspaceId" = ${workspaceId} AND "day" BETWEEN ${r.from}::date AND ${r.to}::date`;

/** API key ids → names ("" is a member's runs, from the browser or a session). */
async function keyNames(workspaceId: string, ids: string[]): Promise<Map<string, string>> {
  const keys = await db.apiKey.findMany({ where: { workspaceId, id: { in: ids.filter(Boolean) } }, select: { id: true, name: true, prefix: true } });
  return new Map([["", "Members (browser)"], ...keys.map((k) => [k.id, `${k.name} (${k.prefix}…)`] as [string, string])]);
}

/** Totals, top agents, spend per key, and the wallet with its burn rate and days left, for a range. */
export async function usageSummary(workspaceId: string, range: UsageRange) {
  const [all, byAgent, byKey, balance, recent] = await Promise.all([
    db.$queryRaw<Row[]>`SELECT ${sums} FROM "UsageDaily" WHERE ${inRange(workspaceId, range)}`,
    db.$queryRaw<(Row & { agent: string })[]>`SELECT "agentSlug" AS agent, ${sums} FROM "UsageDaily" WHERE ${inRange(workspaceId, range)} GROUP BY 1 ORDER BY "spendMicros" DESC, runs DESC LIMIT 10`,
    db.$queryRaw<(Row & { key: string })[]>`SELECT "apiKeyId" AS key, ${sums} FROM "UsageDaily" WHERE ${inRange(workspaceId, range)} GROUP BY 1 ORDER BY "spendMicros" DESC LIMIT 50`,
    workspaceBalance(db, workspaceId),
    // Burn rate: the last 7 full days plus today, whatever the range shown.
    db.$queryRaw<{ spend: bigint | null }[]>`SELECT sum("priceMicros")::bigint AS spend FROM "UsageDaily"
      WHERE "workspaceId" = ${workspaceId} AND "day" >= ${new Date(dayOf(new Date()).getTime() - 7 * DAY_MS)}::date`,
  ]);
  const names = await keyNames(workspaceId, byKey.map((k) => k.key));
  const burnPerDayMicros = Math.round(Number(recent[0]?.spend ?? 0n) / 8);
  const available = microsJson(balance.availableMicros);
  return {
    range: { from: day(range.from), to: day(range.to), days: range.days },
    totals: totals(all[0]),
    topAgents: byAgent.map((r) => ({ agent: r.agent, ...totals(r) })),
    byKey: byKey.map((r) => ({ apiKeyId: r.key || null, name: names.get(r.key) ?? "Revoked or deleted key", ...totals(r) })),
    balance: {
      availableMicros: available,
      heldMicros: microsJson(balance.pendingDebitsMicros),
      burnPerDayMicros,
      // null when nothing is being spent: the balance lasts indefinitely.
      daysLeft: burnPerDayMicros > 0 ? Math.floor(available / burnPerDayMicros) : null,
    },
  };
}

/** One row per day × group (agent, model or API key) with activity; days without any are left out. */
export async function usageDaily(workspaceId: string, range: UsageRange, groupBy: (typeof usageGroupings)[number]) {
  const rows = await db.$queryRaw<(Row & { day: Date; group: string })[]>`
    SELECT "day", ${groupColumn[groupBy]} AS "group", ${sums} FROM "UsageDaily" WHERE ${inRange(workspaceId, range)}
    GROUP BY 1, 2 ORDER BY 1, 2`;
  const names = groupBy === "key" ? await keyNames(workspaceId, [...new Set(rows.map((r) => r.group))]) : undefined;
  return {
    range: { from: day(range.from), to: day(range.to), days: range.days },
    groupBy,
    data: rows.map((r) => ({ day: day(r.day), group: r.group, ...(names ? { name: names.get(r.group) ?? "Revoked or deleted key" } : {}), ...totals(r) })),
  };
}
