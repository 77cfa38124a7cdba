// GET /api/v1/admin/runs — every workspace's runs: status, agent, workspace, model, errorCode, from, to, cursor
import { adminListRuns } from "@/lib/admin/runs-admin";
import { adminRunsQuerySchema } from "@/lib/admin/schemas";
import { route } from "@/lib/http/route";

export const GET = route({ permission: "platform.admin", query: adminRunsQuerySchema }, async ({ query }) => adminListRuns(query));
