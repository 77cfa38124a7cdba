// GET /api/v1/billing/ledger — the wallet's movements, newest first (cursor, limit ≤ 100)
import { ledgerQuerySchema, walletHistory } from "@/lib/billing/billing-overview";
import { route } from "@/lib/http/route";
import { walletHistorySchema } from "@/lib/billing/response-schemas";

export const GET = route({ permission: "workspace.read", query: ledgerQuerySchema, response: walletHistorySchema, summary: "The wallet's movements, newest first." }, async ({ principal, query }) => walletHistory(principal.workspace.id, query));
