// GET /api/health/ready — database reachable and migrations applied (503 otherwise)
import { readiness } from "@/lib/health/readiness";

export const dynamic = "force-dynamic";

export async function GET() {
  const r = await readiness();
  return Response.json({ status: r.ready ? "ready" : "not_ready", ...r }, { status: r.ready ? 200 : 503, headers: { "cache-control": "no-store" } });
}
