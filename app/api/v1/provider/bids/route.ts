// GET /api/v1/provider/bids — the caller provider's bids, newest first, with their work's title and status: cursor, limit
import { listProviderBids } from "@/lib/exchange/bids";
import { paginationQuerySchema } from "@/lib/http/pagination";
import { route } from "@/lib/http/route";
import { providerBidPageSchema } from "@/lib/exchange/work-json-schemas";

export const GET = route({ permission: "workspace.read", query: paginationQuerySchema, response: providerBidPageSchema, summary: "Your provider's bids, newest first, with their work" }, async ({ principal, query }) => listProviderBids(principal, query));
