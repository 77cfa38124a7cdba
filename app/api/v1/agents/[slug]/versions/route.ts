// GET /api/v1/agents/:slug/versions — every published and yanked version, newest first, with its stats over the last 90 days (public)
import { z } from "zod";
import { slugParam } from "@/lib/http/params";
import { versionStatsSchema } from "@/lib/agents/response-schemas";
import { route } from "@/lib/http/route";
import { versionStats } from "@/lib/packages/version-stats";

export const GET = route({ auth: "public", params: z.object({ slug: slugParam }), response: versionStatsSchema, summary: "Every published and yanked version with its stats over the last 90 days." }, async ({ params }) => versionStats(params.slug));
