// GET /api/v1/admin/disputes — the dispute queue: disputed works, oldest contract first, with the contract, its
//   deliveries and the buyer's reason: cursor, limit
import { route } from "@/lib/http/route";
import { disputeQueueSchema, listDisputes, listDisputesQuerySchema } from "@/lib/exchange/disputes";

export const GET = route({ permission: "platform.admin", query: listDisputesQuerySchema, response: disputeQueueSchema, summary: "List disputed works awaiting resolution, oldest contract first" }, async ({ query }) => listDisputes(query));
