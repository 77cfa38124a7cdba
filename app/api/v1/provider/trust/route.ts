// GET /api/v1/provider/trust — the caller's provider: its trust score, band and per-package breakdown (workspace owner)
import { route } from "@/lib/http/route";
import { providerTrustBreakdown } from "@/lib/packages/trust";

export const GET = route({ permission: "provider.manage" }, async ({ principal }) => providerTrustBreakdown(principal.workspace.id));
