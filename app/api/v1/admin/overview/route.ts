// GET /api/v1/admin/overview — runs, success rate, revenue, model cost, margin, active workspaces, p95 duration, error rate (today / 7 / 30 days), per day, top agents and workspaces
import { adminOverview } from "@/lib/admin/overview";
import { route } from "@/lib/http/route";
import { adminOverviewSchema } from "@/lib/admin/schemas";

export const GET = route({ permission: "platform.admin", response: adminOverviewSchema, summary: "Platform totals for today, 7 and 30 days, per day, and the top agents and workspaces" }, async () => adminOverview());
