// GET /api/v1/agents/:slug — one package: description, JSON Schemas, example, stats
import { z } from "zod";
import { slugParam } from "@/lib/http/params";
import { getAgent } from "@/lib/agents/catalog";
import { agentDetailSchema } from "@/lib/agents/response-schemas";
import { route } from "@/lib/http/route";

export const GET = route({ auth: "public", params: z.object({ slug: slugParam }), response: agentDetailSchema, summary: "One published agent: description, input and output schemas, example, stats, trust." }, async ({ params }) => getAgent(params.slug));
