// GET /api/v1/rate-limits — each limit's use and size for the caller: requests/min, runs/hour, concurrent runs, tokens/day
import { route } from "@/lib/http/route";
import { rateLimitStatus } from "@/lib/rate-limits/limits";

export const GET = route({ permission: "workspace.read" }, async ({ principal }) => rateLimitStatus(principal));
