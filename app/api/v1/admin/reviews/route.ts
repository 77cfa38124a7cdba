// GET /api/v1/admin/reviews — submitted package versions awaiting review, oldest first
import { route } from "@/lib/http/route";
import { listReviewQueue } from "@/lib/packages/reviews";
import { reviewQueueQuerySchema } from "@/lib/packages/schemas";

export const GET = route({ permission: "platform.admin", query: reviewQueueQuerySchema }, async ({ query }) => listReviewQueue(query));
