// GET /api/v1/admin/overview — runs, success rate, revenue, model cost, margin, active workspaces, p95 duration, error rate (today / 7 / 30 days), per day, top agents and workspaces
import { adminOverview } from "@/lib/admin/overview";
import { route } from "@/lib/http/route";

export const GET = route({ permission: "platform.admin" }, async () => adminOverview());
