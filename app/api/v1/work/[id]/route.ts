// GET /api/v1/work/:id — a work with its bids (the buyer: all, ranked with the score breakdown; a provider: its own)
//   and its history; 404 for a work the caller may not see
import { getWork } from "@/lib/exchange/work";
import { workParams } from "@/lib/exchange/work-schemas";
import { route } from "@/lib/http/route";

export const GET = route({ permission: "workspace.read", params: workParams }, async ({ principal, params }) => getWork(principal, params.id));
