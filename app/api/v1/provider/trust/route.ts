// GET /api/v1/provider/trust — the caller's provider: its trust score, band and per-package breakdown (workspace owner)
import { route } from "@/lib/http/route";
import { providerTrustResponseSchema } from "@/lib/packages/schemas";
import { providerTrustBreakdown } from "@/lib/packages/trust";

export const GET = route({ permission: "provider.manage", response: providerTrustResponseSchema, summary: "Your provider's trust score, band and per-package breakdown" }, async ({ principal }) => providerTrustBreakdown(principal.workspace.id));
