// GET /api/health — the detailed health (SPEC §11): database, migrations, rate-limit store (Redis or PostgreSQL),
// provider circuit, Outbox lag and ledger invariants (checked at most every 5 minutes per process: a probe must stay cheap). A platform admin's session, or `Authorization: Bearer $METRICS_TOKEN`.
import type { NextRequest } from "next/server";
import { adminHealth, recentLedgerCheck } from "@/lib/admin/health";
import { route } from "@/lib/http/route";
import { hasOpsToken } from "@/lib/observability/ops-token";
import { ApiError } from "@/lib/http/errors";
import { assertCan } from "@/lib/auth/permissions";

async function detailed() {
  const [health, ledger] = await Promise.all([adminHealth(), recentLedgerCheck()]);
  const ok = health.database.ok && health.migrations.pending.length === 0 && health.rateLimits.ok && ledger.ok;
  return Response.json({ status: ok ? "ok" : "degraded", ...health, ledger }, { status: ok ? 200 : 503, headers: { "cache-control": "no-store" } });
}

const forAdmins = route({ auth: "public" }, async ({ principal }) => {
  if (!principal) throw new ApiError("unauthenticated", "Sign in as an admin, or send the metrics token.");
  assertCan(principal, "platform.admin");
  return detailed();
});

export async function GET(req: NextRequest, ctx: { params: Promise<Record<string, string | string[]>> }) {
  return hasOpsToken(req) ? detailed() : forAdmins(req, ctx);
}
