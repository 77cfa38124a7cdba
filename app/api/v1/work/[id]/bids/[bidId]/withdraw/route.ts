// POST /api/v1/work/:id/bids/:bidId/withdraw — the provider withdraws its active bid (before the award only)
import { withdrawBid } from "@/lib/exchange/bids";
import { bidParams } from "@/lib/exchange/work-schemas";
import { route } from "@/lib/http/route";
import { bidJsonSchema } from "@/lib/exchange/work-json-schemas";

export const POST = route({ permission: "workspace.write", params: bidParams, response: bidJsonSchema, summary: "Withdraw your provider's active bid (before the award)" }, async ({ principal, params }) => withdrawBid(principal, params.id, params.bidId));
