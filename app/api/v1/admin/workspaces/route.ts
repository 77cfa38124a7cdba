// GET /api/v1/admin/workspaces?q= — search every workspace (name, slug, id, Stripe customer)
import { searchWorkspaces } from "@/lib/admin/workspaces";
import { adminWorkspacesPageSchema, searchQuerySchema } from "@/lib/admin/schemas";
import { route } from "@/lib/http/route";

export const GET = route({ permission: "platform.admin", query: searchQuerySchema, response: adminWorkspacesPageSchema, summary: "Search workspaces by name, slug, id or Stripe customer" }, async ({ query }) => searchWorkspaces(query));
