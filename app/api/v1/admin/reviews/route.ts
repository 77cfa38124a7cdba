// GET /api/v1/admin/reviews — submitted package versions awaiting review, oldest first
import { route } from "@/lib/http/route";
import { listReviewQueue } from "@/lib/packages/reviews";
import { reviewQueueItemSchema, reviewQueueQuerySchema } from "@/lib/packages/schemas";
import { pageOf } from "@/lib/http/wire";

export const GET = route({ permission: "platform.admin", query: reviewQueueQuerySchema, response: pageOf(reviewQueueItemSchema), summary: "List submitted package versions awaiting review, oldest first" }, async ({ query }) => listReviewQueue(query));
