// GET /api/v1/admin/review-reports — the moderation queue: open reports of package reviews, oldest first
import { route } from "@/lib/http/route";
import { listReviewReportsQuerySchema, moderationReportSchema } from "@/lib/packages/package-review-schemas";
import { listReviewReports } from "@/lib/packages/package-review-moderation";
import { pageOf } from "@/lib/http/wire";

export const GET = route({ permission: "platform.admin", query: listReviewReportsQuerySchema, response: pageOf(moderationReportSchema), summary: "List open reports of package reviews, oldest first" }, async ({ query }) => listReviewReports(query));
