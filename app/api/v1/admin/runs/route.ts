// GET /api/v1/admin/runs — every workspace's runs: status, agent, workspace, model, errorCode, from, to, cursor
import { adminListRuns } from "@/lib/admin/runs-admin";
import { adminRunsPageSchema, adminRunsQuerySchema } from "@/lib/admin/schemas";
import { route } from "@/lib/http/route";

export const GET = route({ permission: "platform.admin", query: adminRunsQuerySchema, response: adminRunsPageSchema, summary: "Search every workspace's runs (status, agent, workspace, model, error code, dates)" }, async ({ query }) => adminListRuns(query));
