// GET /api/v1/admin/audit — the audit log: actor, action (prefix), workspace, from, to, cursor
import { listAudit } from "@/lib/admin/audit";
import { auditPageSchema, auditQuerySchema } from "@/lib/admin/schemas";
import { route } from "@/lib/http/route";

export const GET = route({ permission: "platform.admin", query: auditQuerySchema, response: auditPageSchema, summary: "Search the audit log (actor, action prefix, workspace, dates), newest first" }, async ({ query }) => listAudit(query));
