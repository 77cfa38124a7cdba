import { z } from "zod";
import { isoDate } from "@/lib/http/wire";
import { balanceSchema } from "@/lib/billing/response-schemas";
import { db } from "@/lib/db/client";
import type { Principal } from "./principal";

/** The public view of a principal: who, which workspace, which tier and its limits. */
export async function describePrincipal(principal: Principal) {
  const tier = await db.tier.findUniqueOrThrow({
    where: { code: principal.workspace.tierCode },
    select: { code: true, name: true, requestsPerMinute: true, runsPerHour: true, concurrentRuns: true, tokensPerDay: true },
  });
  return {
    principal:
      principal.kind === "user"
        ? { type: "user" as const, id: principal.userId, email: principal.email, name: principal.name, isAdmin: principal.isAdmin, role: principal.role }
        : { type: "api_key" as const, id: principal.apiKeyId, role: principal.role },
    workspace: principal.workspace,
    tier: { ...tier, tokensPerDay: Number(tier.tokensPerDay) },
  };
}

const int = z.number().int();
/** GET /api/v1/me's body: describePrincipal plus the workspace's balance (lib/http/route.ts `response`). */
export const meResponseSchema = z.object({
  principal: z.discriminatedUnion("type", [
    z.object({ type: z.literal("user"), id: z.string(), email: z.string(), name: z.string().nullable(), isAdmin: z.boolean(), role: z.enum(["OWNER", "MEMBER"]) }),
    z.object({ type: z.literal("api_key"), id: z.string(), role: z.literal("MEMBER") }),
  ]),
  workspace: z.object({
    id: z.string(),
    name: z.string(),
    slug: z.string(),
    tierCode: z.string(),
    priceMultiplierBps: int,
    suspended: z.boolean(),
    limits: z.object({ requestsPerMinute: int, runsPerHour: int, concurrentRuns: int, tokensPerDay: int }),
    paymentMode: z.enum(["PREPAID", "METERED"]),
    pastDueSince: isoDate.nullable(),
    packagePins: z.record(z.string(), z.string()),
  }),
  tier: z.object({ code: z.string(), name: z.string(), requestsPerMinute: int, runsPerHour: int, concurrentRuns: int, tokensPerDay: int }),
  balance: balanceSchema,
});
