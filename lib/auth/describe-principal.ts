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
