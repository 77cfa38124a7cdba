// GET /api/v1/provider/packages/:slug/price-changes — the package's price changes, newest first
// POST /api/v1/provider/packages/:slug/price-changes — { baseFeeMicros }: a decrease now, an increase after the notice (AGORA_PRICE_NOTICE_DAYS)
import { json, route } from "@/lib/http/route";
import { listPriceChanges, schedulePriceChange } from "@/lib/packages/price-changes";
import { packageSlugParams, priceChangeResponseSchema, priceChangesResponseSchema, schedulePriceChangeBodySchema } from "@/lib/packages/schemas";

export const GET = route({ permission: "provider.manage", params: packageSlugParams, response: priceChangesResponseSchema, summary: "A package's price changes, newest first" }, async ({ principal, params }) => ({ priceChanges: await listPriceChanges(principal.workspace.id, params.slug) }));

export const POST = route({ permission: "provider.manage", params: packageSlugParams, body: schedulePriceChangeBodySchema, response: priceChangeResponseSchema, summary: "Change a package's base fee: a decrease now, an increase after the notice period" }, async ({ principal, params, body, ip }) =>
  json({ priceChange: await schedulePriceChange(principal, params.slug, body.baseFeeMicros, ip) }, 201),
);
