// GET /api/v1/admin/audit — the audit log: actor, action (prefix), workspace, from, to, cursor
import { listAudit } from "@/lib/admin/audit";
import { auditQuerySchema } from "@/lib/admin/schemas";
import { route } from "@/lib/http/route";

export const GET = route({ permission: "platform.admin", query: auditQuerySchema }, async ({ query }) => listAudit(query));
