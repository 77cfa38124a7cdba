// GET /api/v1/agents/:slug — one package: description, JSON Schemas, example, stats
import { getAgent } from "@/lib/agents/catalog";
import { route } from "@/lib/http/route";

export const GET = route({ auth: "public" }, async ({ params }) => getAgent(params.slug!));
