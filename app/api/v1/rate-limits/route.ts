// GET /api/v1/rate-limits — each limit's use and size for the caller: requests/min, runs/hour, concurrent runs, tokens/day
import { route } from "@/lib/http/route";
import { rateLimitStatus, rateLimitStatusSchema } from "@/lib/rate-limits/limits";

export const GET = route({ permission: "workspace.read", response: rateLimitStatusSchema, summary: "Each rate limit's size and use for the caller." }, async ({ principal }) => rateLimitStatus(principal));
