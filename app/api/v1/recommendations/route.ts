// GET /api/v1/recommendations?limit= — for the signed-in workspace: packages used by workspaces
// like it (co-usage over the last 90 days), or popular ones without such history, and a fixed
// "new and rising" slot; each with its reason
import { z } from "zod";
import { recommendations } from "@/lib/agents/recommendations";
import { recommendationsSchema } from "@/lib/agents/response-schemas";
import { route } from "@/lib/http/route";

const query = z.object({ limit: z.coerce.number().int().min(1).max(12).default(6) });

export const GET = route({ permission: "workspace.read", query, response: recommendationsSchema, summary: "Agents for this workspace: used by similar workspaces, popular, or new and rising." }, async ({ principal, query }) => ({ data: await recommendations(principal.workspace.id, query.limit) }));
