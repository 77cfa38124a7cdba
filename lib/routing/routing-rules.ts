import { z } from "zod";
import { isoDate } from "@/lib/http/wire";
import { db, type Db, type DbTx } from "@/lib/db/client";
import type { Prisma } from "@/lib/generated/prisma/client";
import { ApiError } from "@/lib/http/errors";
import { conditionSchema, urgencies, type Condition, type Rule } from "./evaluate-rules";

// A workspace's routing rules: listed in evaluation order, created at the end,
// edited, moved (positions are rewritten 1..n in one transaction) and deleted.

export const MAX_RULES = 100;

const ruleFields = {
  name: z.string().trim().min(1, "Name the rule.").max(100),
  conditions: z.array(conditionSchema).max(20),
  team: z.string().trim().min(1, "Name the team.").max(100),
  urgency: z.enum(urgencies),
  enabled: z.boolean(),
};

export const createRuleSchema = z.object({ ...ruleFields, enabled: ruleFields.enabled.default(true) });
export const updateRuleSchema = z
  .object({ ...ruleFields, position: z.number().int().min(1) })
  .partial()
  .refine((v) => Object.keys(v).length > 0, "Send at least one field to change.");

/** A rule as the API sends it (ruleJson; lib/http/route.ts `response`). */
export const ruleSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    position: z.number().int().describe("1 = evaluated first."),
    conditions: z.array(conditionSchema),
    team: z.string(),
    urgency: z.enum(urgencies),
    enabled: z.boolean(),
    updatedAt: isoDate,
  })
  .meta({ id: "RoutingRule" });

const select = { id: true, name: true, position: true, conditions: true, team: true, urgency: true, enabled: true, updatedAt: true } satisfies Prisma.RoutingRuleSelect;

function ruleJson(row: Prisma.RoutingRuleGetPayload<{ select: typeof select }>): Rule & { updatedAt: string } {
  return { ...row, conditions: row.conditions as Condition[], updatedAt: row.updatedAt.toISOString() };
}

/** Serialises rule writes per workspace, so positions stay 1..n under concurrency. */
const lockRules = (tx: DbTx, workspaceId: string) => tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`routing:${workspaceId}`}))`;

const ruleOrder = async (tx: DbTx, workspaceId: string) =>
  (await tx.routingRule.findMany({ where: { workspaceId }, select: { id: true }, orderBy: [{ position: "asc" }, { createdAt: "asc" }] })).map((r) => r.id);

async function renumber(tx: DbTx, ids: string[]) {
  for (const [i, id] of ids.entries()) await tx.routingRule.update({ where: { id }, data: { position: i + 1 } });
}

export async function listRules(workspaceId: string, client: DbTx = db) {
  const rows = await client.routingRule.findMany({ where: { workspaceId }, select, orderBy: [{ position: "asc" }, { createdAt: "asc" }] });
  return rows.map(ruleJson);
}

export async function createRule(workspaceId: string, input: z.output<typeof createRuleSchema>, client: Db = db) {
  return client.$transaction(async (tx) => {
    await lockRules(tx, workspaceId);
    const count = await tx.routingRule.count({ where: { workspaceId } });
    if (count >= MAX_RULES) throw new ApiError("conflict", `A workspace can have at most ${MAX_RULES} routing rules.`);
    const row = await tx.routingRule.create({ data: { workspaceId, position: count + 1, ...input }, select });
    return ruleJson(row);
  });
}

export async function updateRule(workspaceId: string, id: string, input: z.output<typeof updateRuleSchema>) {
  return db.$transaction(async (tx) => {
    await lockRules(tx, workspaceId);
    const order = await ruleOrder(tx, workspaceId);
    const index = order.indexOf(id);
    if (index < 0) throw new ApiError("not_found", "No such routing rule.");
    const { position, ...fields } = input;
    if (position !== undefined) {
      order.splice(index, 1);
      order.splice(Math.min(position, order.length + 1) - 1, 0, id);
      await renumber(tx, order);
    }
    const row = await tx.routingRule.update({ where: { id }, data: fields, select });
    return ruleJson(row);
  });
}

export async function deleteRule(workspaceId: string, id: string) {
  await db.$transaction(async (tx) => {
    await lockRules(tx, workspaceId);
    const { count } = await tx.routingRule.deleteMany({ where: { id, workspaceId } });
    if (!count) throw new ApiError("not_found", "No such routing rule.");
    await renumber(tx, await ruleOrder(tx, workspaceId));
  });
}

/** The demo workspace's starting rules. */
export const demoRules: z.input<typeof createRuleSchema>[] = [
  { name: "Security reports go to the security team", conditions: [{ field: "category", op: "equals", value: "security" }], team: "security", urgency: "CRITICAL" },
  { name: "Enterprise outages page on-call", conditions: [{ field: "customer.plan", op: "in", value: ["enterprise", "business"] }, { field: "text", op: "contains", value: ["down", "outage", "504", "not loading"] }], team: "sre-on-call", urgency: "CRITICAL" },
  { name: "Payment failures to payments", conditions: [{ field: "text", op: "contains", value: ["checkout", "payment failed", "charged twice", "card declined"] }], team: "payments", urgency: "HIGH" },
  { name: "Billing questions to finance", conditions: [{ field: "category", op: "equals", value: "billing" }], team: "billing", urgency: "NORMAL" },
  { name: "Feature requests to product", conditions: [{ field: "tags", op: "contains", value: "feature-request" }], team: "product", urgency: "LOW" },
];
