// GET /api/v1/admin/workspaces?q= — search every workspace (name, slug, id, Stripe customer)
import { searchWorkspaces } from "@/lib/admin/workspaces";
import { searchQuerySchema } from "@/lib/admin/schemas";
import { route } from "@/lib/http/route";

export const GET = route({ permission: "platform.admin", query: searchQuerySchema }, async ({ query }) => searchWorkspaces(query));
