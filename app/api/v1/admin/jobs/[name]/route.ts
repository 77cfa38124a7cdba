// POST /api/v1/admin/jobs/:name — queue a scheduled job now (platform admin, audit-logged)
import { z } from "zod";
import { runJobNow } from "@/lib/admin/jobs";
import { requireUser } from "@/lib/auth/permissions";
import { CONTROL_CHARACTER } from "@/lib/http/params";
import { route } from "@/lib/http/route";
import { queuedJobSchema } from "@/lib/admin/schemas";

const params = z.object({ name: z.string().min(1).max(100).refine((s) => !CONTROL_CHARACTER.test(s), "Holds a control character; a job name never does.") });

export const POST = route({ permission: "platform.admin", params, response: queuedJobSchema, summary: "Queue a scheduled job to run now" }, async ({ principal, params, ip }) => runJobNow(requireUser(principal), params.name, ip));
