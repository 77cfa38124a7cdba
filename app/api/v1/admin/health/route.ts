// GET /api/v1/admin/health — database latency, migrations, rate-limit store, provider breaker, Outbox backlog, job queues and workers
import { adminHealth } from "@/lib/admin/health";
import { route } from "@/lib/http/route";

export const GET = route({ permission: "platform.admin" }, async () => adminHealth());
