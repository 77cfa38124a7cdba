import { z } from "zod";
import { isoDate, wholeNumber } from "@/lib/http/wire";

export const roleSchema = z.enum(["OWNER", "MEMBER"]);
export const changeMemberRoleBodySchema = z.object({ role: roleSchema });
export const memberUserIdSchema = z.object({ userId: z.string().min(1).max(64) });
export const switchWorkspaceBodySchema = z.object({ workspaceId: z.string().min(1).max(64) });

// Response bodies (lib/http/route.ts `response`): members.ts memberSummary and listUserWorkspaces,
// budget-settings.ts getWorkspaceSettings.
const int = wholeNumber;
export const memberSchema = z
  .object({ userId: z.string(), email: z.string(), name: z.string().nullable(), role: roleSchema, joinedAt: isoDate })
  .meta({ id: "Member" });
export const memberListSchema = z.object({ data: z.array(memberSchema) });
export const userWorkspacesSchema = z.object({
  data: z.array(z.object({ id: z.string(), name: z.string(), slug: z.string(), tierCode: z.string(), personal: z.boolean(), role: roleSchema })),
  current: z.string().describe("The workspace this request acted in."),
});
export const workspaceSettingsSchema = z.object({
  id: z.string(),
  name: z.string(),
  slug: z.string(),
  paymentMode: z.enum(["PREPAID", "METERED"]),
  tier: z.object({ code: z.string(), name: z.string(), requestsPerMinute: int, runsPerHour: int, concurrentRuns: int, tokensPerDay: int, priceMultiplierBps: int }),
  monthlySpendCapMicros: int.nullable(),
  thisMonth: z.object({ spentMicros: int, heldMicros: int, resetsAt: isoDate }),
});
