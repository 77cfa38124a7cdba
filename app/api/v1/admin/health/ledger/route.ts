// POST /api/v1/admin/health/ledger — run the ledger's invariant check now
import { adminLedgerCheck } from "@/lib/admin/health";
import { route } from "@/lib/http/route";
import { ledgerCheckSchema } from "@/lib/admin/schemas";

export const POST = route({ permission: "platform.admin", response: ledgerCheckSchema, summary: "Check the ledger's invariants now" }, async () => adminLedgerCheck());
