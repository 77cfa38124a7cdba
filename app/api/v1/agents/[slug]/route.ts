// GET /api/v1/agents/:slug — one package: description, JSON Schemas, example, stats
import { z } from "zod";
import { slugParam } from "@/lib/http/params";
import { getAgent } from "@/lib/agents/catalog";
import { route } from "@/lib/http/route";

export const GET = route({ auth: "public", params: z.object({ slug: slugParam }) }, async ({ params }) => getAgent(params.slug));
