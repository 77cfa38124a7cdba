// GET /api/v1/admin/workspaces/:id/ledger — any workspace's wallet movements (cursor, limit)
import { idParams } from "@/lib/http/params";
import { ledgerQuerySchema, walletHistory, walletHistorySchema } from "@/lib/billing/billing-overview";
import { route } from "@/lib/http/route";

export const GET = route({ permission: "platform.admin", params: idParams, query: ledgerQuerySchema, response: walletHistorySchema, summary: "Any workspace's wallet movements, newest first" }, async ({ params, query }) => walletHistory(params.id, query));
