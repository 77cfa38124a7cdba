// DELETE /api/v1/provider/packages/:slug/price-changes/:id — cancels a pending price increase
import { idParam } from "@/lib/http/params";
import { route } from "@/lib/http/route";
import { cancelPriceChange } from "@/lib/packages/price-changes";
import { packageSlugParams, priceChangeResponseSchema } from "@/lib/packages/schemas";

export const DELETE = route({ permission: "provider.manage", params: packageSlugParams.extend({ id: idParam }), response: priceChangeResponseSchema, summary: "Cancel a pending price increase" }, async ({ principal, params, ip }) => ({
  priceChange: await cancelPriceChange(principal, params.slug, params.id, ip),
}));
