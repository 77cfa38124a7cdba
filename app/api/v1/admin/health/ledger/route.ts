// POST /api/v1/admin/health/ledger — run the ledger's invariant check now
import { adminLedgerCheck } from "@/lib/admin/health";
import { route } from "@/lib/http/route";

export const POST = route({ permission: "platform.admin" }, async () => adminLedgerCheck());
