// GET /api/v1/work/:id — a work with its bids (the buyer: all, ranked with the score breakdown; a provider: its own)
//   and its history; 404 for a work the caller may not see
import { getWork } from "@/lib/exchange/work";
import { workParams } from "@/lib/exchange/work-schemas";
import { route } from "@/lib/http/route";
import { workDetailJsonSchema } from "@/lib/exchange/work-json-schemas";

export const GET = route({ permission: "workspace.read", params: workParams, response: workDetailJsonSchema, summary: "A work with the bids and history the caller may see" }, async ({ principal, params }) => getWork(principal, params.id));
