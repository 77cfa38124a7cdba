// GET /api/v1/admin/reviews — submitted package versions awaiting review, oldest first
import { route } from "@/lib/http/route";
import { listReviewQueue } from "@/lib/packages/reviews";
import { reviewQueueItemSchema, reviewQueueQuerySchema } from "@/lib/packages/schemas";
import { pageSchema } from "@/lib/http/response-schemas";

export const GET = route({ permission: "platform.admin", query: reviewQueueQuerySchema, response: pageSchema(reviewQueueItemSchema), summary: "List submitted package versions awaiting review, oldest first" }, async ({ query }) => listReviewQueue(query));
