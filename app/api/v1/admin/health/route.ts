// GET /api/v1/admin/health — database latency, migrations, rate-limit store, provider breaker, Outbox backlog, job queues and workers
import { adminHealth } from "@/lib/admin/health";
import { route } from "@/lib/http/route";
import { adminHealthSchema } from "@/lib/admin/schemas";

export const GET = route({ permission: "platform.admin", response: adminHealthSchema, summary: "Database, migrations, rate-limit store, provider breaker, Outbox and job engine health" }, async () => adminHealth());
