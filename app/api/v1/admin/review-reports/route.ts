// GET /api/v1/admin/review-reports — the moderation queue: open reports of package reviews, oldest first
import { route } from "@/lib/http/route";
import { listReviewReportsQuerySchema } from "@/lib/packages/package-review-schemas";
import { listReviewReports } from "@/lib/packages/package-review-moderation";

export const GET = route({ permission: "platform.admin", query: listReviewReportsQuerySchema }, async ({ query }) => listReviewReports(query));
